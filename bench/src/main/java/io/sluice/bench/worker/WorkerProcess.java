package io.sluice.bench.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/** A worker process of the benchmark, seen from the parent: start, read its lines, stop or kill. */
public final class WorkerProcess {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Process process;
  private final DoubleSupplier clock;
  private final CountDownLatch ready = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final List<Progress> progress = new ArrayList<>();
  private volatile JsonNode readyLine;
  private volatile JsonNode stats;
  private volatile boolean killed;

  /** The succeeded count a worker reported at a moment of the run. */
  public record Progress(double seconds, long succeeded) {}

  private WorkerProcess(String name, Process process, DoubleSupplier clock) {
    this.name = name;
    this.process = process;
    this.clock = clock;
    Thread.ofVirtual().name("reader-" + name).start(this::readLines);
  }

  /**
   * Starts a worker JVM on the current java and class path.
   *
   * @param clock seconds since the run started, to stamp its progress lines
   */
  public static WorkerProcess start(WorkerArgs args, Path log, DoubleSupplier clock) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse(javaFromHome()));
    command.addAll(
        List.of(
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-Dsluice.bench.taskLog=DEBUG",
            "-Dsluice.bench.limiterLog=" + System.getProperty("sluice.bench.limiterLog", "INFO"),
            "--sun-misc-unsafe-memory-access=allow",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            WorkerProcessMain.class.getName()));
    command.addAll(args.toArgs());
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new WorkerProcess(args.instanceId(), process, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker process " + args.instanceId(), e);
    }
  }

  private static String javaFromHome() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  /** Waits until the pool runs; fails if the process died or took too long. */
  public JsonNode awaitReady(Duration timeout) throws InterruptedException {
    if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || readyLine == null) {
      throw new IllegalStateException(
          "worker "
              + name
              + " did not start within "
              + timeout
              + " (alive: "
              + process.isAlive()
              + ")");
    }
    return readyLine;
  }

  /** SIGKILL: no shutdown, no stats. */
  public void kill() {
    killed = true;
    process.destroyForcibly();
  }

  public boolean killed() {
    return killed;
  }

  /** Asks the process to stop and waits for its stats line. */
  public JsonNode stop(Duration timeout) throws InterruptedException {
    if (killed) {
      return null;
    }
    try (Writer in = process.outputWriter(StandardCharsets.UTF_8)) {
      in.write("stop\n");
    } catch (IOException e) {
      // the process is gone already; its stats stay null
    }
    finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
    }
    return stats;
  }

  /** Every progress line so far. */
  public synchronized List<Progress> progress() {
    return List.copyOf(progress);
  }

  private void readLines() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(WorkerProcessMain.LINE_PREFIX)) {
          accept(JSON.readTree(line.substring(WorkerProcessMain.LINE_PREFIX.length())));
        }
      }
    } catch (IOException e) {
      // the stream closes when the process dies; nothing more to read
    } finally {
      ready.countDown();
      finished.countDown();
    }
  }

  private void accept(JsonNode line) {
    switch (line.path("type").asText()) {
      case "ready" -> {
        readyLine = line;
        ready.countDown();
      }
      case "progress" -> {
        synchronized (this) {
          progress.add(new Progress(clock.getAsDouble(), line.path("succeeded").asLong()));
        }
      }
      case "stats" -> {
        stats = line;
        finished.countDown();
      }
      default -> {}
    }
  }
}
