package io.sluice.workers.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** CPU time the JVM's platform threads used over a sampled interval, by thread name. */
public final class ThreadCpu {
  private final Map<String, Long> nanosByName;
  private final long wallNanos;

  private ThreadCpu(Map<String, Long> nanosByName, long wallNanos) {
    this.nanosByName = nanosByName;
    this.wallNanos = wallNanos;
  }

  /** Samples every thread's CPU time now and after {@code interval}. */
  public static ThreadCpu sample(Duration interval) throws InterruptedException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> before = cpuById(threads);
    long start = System.nanoTime();
    Thread.sleep(interval);
    long wall = System.nanoTime() - start;
    Map<String, Long> byName = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long now = threads.getThreadCpuTime(info.getThreadId());
      long used = now - before.getOrDefault(info.getThreadId(), 0L);
      if (now > 0 && used > 0) {
        byName.merge(info.getThreadName().replaceAll("\\d+", "#"), used, Long::sum);
      }
    }
    return new ThreadCpu(byName, wall);
  }

  private static Map<Long, Long> cpuById(ThreadMXBean threads) {
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      cpu.put(id, threads.getThreadCpuTime(id));
    }
    return cpu;
  }

  /** Share of one core used by threads whose name contains {@code part}. */
  public double coreShare(String part) {
    return nanosByName.entrySet().stream()
            .filter(e -> e.getKey().contains(part))
            .mapToLong(Map.Entry::getValue)
            .sum()
        / (double) wallNanos;
  }

  /** The {@code n} busiest thread names with their share of one core, e.g. {@code x=12.5%}. */
  public String top(int n) {
    return nanosByName.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .map(e -> e.getKey() + "=" + String.format("%.1f%%", 100.0 * e.getValue() / wallNanos))
        .collect(Collectors.joining(", "));
  }
}
