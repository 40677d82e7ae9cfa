package io.sluice.workers;

import static org.awaitility.Awaitility.await;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.workers.testing.LaneTraffic;
import io.sluice.workers.testing.SimulatorProvider;
import io.sluice.workers.testing.ThreadCpu;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures a pool's intake, not part of the normal test run (tag {@code throughput}, excluded by
 * the module's surefire configuration). Run it with:
 *
 * <pre>
 * ./mvnw -B -ntp -pl workers -am verify -Dtest=ThroughputHarness -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dworkers.excludedGroups=none [-Dharness.tasks=2000 -Dharness.concurrency=64 -Dharness.partitions=6]
 * </pre>
 *
 * It reports (log lines starting {@code HARNESS}) the backlog throughput, the queue wait (task sent
 * to Kafka → provider call started) of a backlog and of a trickle below capacity, and the CPU the
 * pool's threads burn while idle. It asserts nothing about time.
 */
@Tag("throughput")
class ThroughputHarness {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputHarness.class);

  private final int tasks = Integer.getInteger("harness.tasks", 2000);
  private final int concurrency = Integer.getInteger("harness.concurrency", 64);
  private final int partitions = Integer.getInteger("harness.partitions", 6);
  private final int latencyMs = Integer.getInteger("harness.latencyMs", 20);
  private final int trickle = Integer.getInteger("harness.trickle", 200);
  private final int tricklePerSecond = Integer.getInteger("harness.tricklePerSecond", 50);

  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<String, Long> calledAt = new ConcurrentHashMap<>();

  @Test
  void shouldReportIntakeThroughputLatencyAndIdleCpu() throws Exception {
    LOG.info(
        "HARNESS load average before: {}",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("tp"));
    SimulatorConfig config =
        SimulatorConfig.builder()
            .profile("unlimited")
            .latency(new LatencySettings(Duration.ofMillis(latencyMs), Duration.ZERO))
            .build();
    try (Simulator simulator = Simulator.start(config);
        LaneTraffic traffic = new LaneTraffic(bootstrap, topics, "openai", partitions)) {
      SimulatorProvider provider =
          new SimulatorProvider(
              simulator.baseUrl(),
              request ->
                  calledAt.putIfAbsent(request.messages().getLast().content(), System.nanoTime()));
      List<Task> backlog = new ArrayList<>();
      for (int i = 0; i < tasks; i++) {
        backlog.add(Tasks.aTask("openai", Lane.STANDARD, "reverse: backlog " + i));
      }
      long queued = System.nanoTime();
      backlog.forEach(task -> sentAt.put(prompt(task), queued));
      traffic.sendAll(backlog);
      LOG.info("HARNESS backlog of {} tasks queued", tasks);

      WorkerSettings settings =
          WorkerSettings.builder(bootstrap, topics.prefix(), "openai")
              .concurrency(concurrency)
              .topics(partitions, (short) 1)
              .build();
      long startNanos = System.nanoTime();
      try (WorkerPool pool = WorkerPool.start(settings, provider)) {
        await().atMost(Duration.ofMinutes(10)).until(() -> traffic.results().size() >= tasks);
        long end = System.nanoTime();
        long first = backlog.stream().mapToLong(t -> calledAt.get(prompt(t))).min().orElseThrow();
        double seconds = (end - first) / 1e9;
        LOG.info(
            "HARNESS backlog: {} tasks, {} s from first call to last result = {} tasks/s"
                + " (pool start to first call {} ms); stats {}",
            tasks,
            String.format("%.2f", seconds),
            String.format("%.1f", tasks / seconds),
            (first - startNanos) / 1_000_000,
            pool.stats());

        ThreadCpu idle = ThreadCpu.sample(Duration.ofSeconds(5));
        LOG.info("HARNESS idle CPU over 5 s, busiest threads: {}", idle.top(8));

        List<Task> trickled = new ArrayList<>();
        long pause = 1_000_000_000L / tricklePerSecond;
        long next = System.nanoTime();
        for (int i = 0; i < trickle; i++) {
          Task task = Tasks.aTask("openai", Lane.STANDARD, "reverse: trickle " + i);
          trickled.add(task);
          while (System.nanoTime() < next) {
            Thread.onSpinWait();
          }
          send(traffic, task);
          next += pause;
        }
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> traffic.results().size() >= tasks + trickle);
        LOG.info(
            "HARNESS queue wait (sent → call started) backlog: {}; trickle at {}/s: {}",
            waits(backlog),
            tricklePerSecond,
            waits(trickled));
      }
    }
    LOG.info(
        "HARNESS load average after: {}",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private void send(LaneTraffic traffic, Task task) {
    sentAt.put(prompt(task), System.nanoTime());
    traffic.send(task);
  }

  private static String prompt(Task task) {
    return task.request().messages().getLast().content();
  }

  private String waits(List<Task> sample) {
    long[] millis =
        sample.stream()
            .mapToLong(t -> (calledAt.get(prompt(t)) - sentAt.get(prompt(t))) / 1_000_000)
            .sorted()
            .toArray();
    return "p50 "
        + millis[millis.length / 2]
        + " ms, p90 "
        + millis[(int) (millis.length * 0.9)]
        + " ms, p99 "
        + millis[(int) (millis.length * 0.99)]
        + " ms, max "
        + millis[millis.length - 1]
        + " ms";
  }
}
