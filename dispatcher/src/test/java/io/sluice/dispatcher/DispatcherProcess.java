package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.MODELS;

import io.sluice.dispatcher.fairness.PacingSettings;
import io.sluice.dispatcher.internal.StreamsProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A dispatcher in a child JVM, so that tests can SIGKILL it. {@link #main} runs the dispatcher and
 * prints {@value #RUNNING} once Streams runs; it exits 1 when the dispatcher reports it cannot
 * process. In {@link Mode#LEGACY} it runs the topology as the dispatcher did before static
 * membership, dedup retention and local-state recovery (for before/after measurements).
 */
final class DispatcherProcess implements AutoCloseable {
  static final String RUNNING = "DISPATCHER-RUNNING";

  enum Mode {
    CURRENT,
    LEGACY,
    /** Current, with the standard and bulk lanes paced ({@link #PACED_WINDOW}). */
    PACED
  }

  /** The pacing window of a {@link Mode#PACED} child. */
  static final int PACED_WINDOW = 4;

  private final Process process;
  private final Path log;

  private DispatcherProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts a child running the dispatcher of {@code prefix} on {@code stateDir}. */
  static DispatcherProcess start(
      String bootstrap, String prefix, Path stateDir, Mode mode, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DispatcherProcess.class.getName());
    command.add(bootstrap);
    command.add(prefix);
    command.add(stateDir.toString());
    command.add(mode.name());
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return new DispatcherProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a dispatcher process", e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** How many times children writing to this one's log have printed {@value #RUNNING}. */
  int runningLines() {
    return runningLines(log);
  }

  static int runningLines(Path log) {
    try {
      return (int)
          Files.readAllLines(log, StandardCharsets.UTF_8).stream()
              .filter(line -> line.equals(RUNNING))
              .count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no commit, no leaving the group. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }

  static DispatcherSettings settings(String bootstrap, String prefix, Path stateDir) {
    return DispatcherSettings.builder(bootstrap, stateDir)
        .topicPrefix(prefix)
        .models(MODELS)
        .partitions(2)
        .replicationFactor((short) 1)
        // the kill tests read every routed task at once; pacing under kills: PacedKillTest
        .pacing(PacingSettings.OFF)
        .build();
  }

  /** The same with the standard and bulk lanes paced, a window of {@code window}. */
  static DispatcherSettings pacedSettings(
      String bootstrap, String prefix, Path stateDir, int window) {
    return DispatcherSettings.builder(bootstrap, stateDir)
        .topicPrefix(prefix)
        .models(MODELS)
        .partitions(2)
        .replicationFactor((short) 1)
        .pacing(PacingSettings.STANDARD_AND_BULK.withWindow(window))
        .build();
  }

  public static void main(String[] args) throws InterruptedException {
    DispatcherSettings settings =
        Mode.valueOf(args[3]) == Mode.PACED
            ? pacedSettings(args[0], args[1], Path.of(args[2]), PACED_WINDOW)
            : settings(args[0], args[1], Path.of(args[2]));
    if (Mode.valueOf(args[3]) == Mode.LEGACY) {
      runLegacy(settings);
      return;
    }
    Dispatcher dispatcher = Dispatcher.start(settings);
    dispatcher.onFatal(
        failure -> {
          System.out.println("DISPATCHER-FATAL " + failure);
          System.exit(1);
        });
    Runtime.getRuntime().addShutdownHook(new Thread(dispatcher::close));
    dispatcher.awaitRunning(Duration.ofMinutes(5));
    System.out.println(RUNNING);
    new CountDownLatch(1).await();
  }

  private static void runLegacy(DispatcherSettings current) throws InterruptedException {
    DispatcherSettings settings =
        DispatcherSettings.builder(current.bootstrapServers(), current.stateDir())
            .topicPrefix(current.topicPrefix())
            .models(current.models())
            .partitions(current.partitions())
            .replicationFactor(current.replicationFactor())
            .dedupRetention(Duration.ofDays(3650))
            .build();
    Clock clock = Clock.systemUTC();
    Dispatcher.provisionTopics(settings);
    var streams =
        new KafkaStreams(
            new DispatcherTopology(settings, clock).build(), StreamsProperties.of(settings, clock));
    var running = new CountDownLatch(1);
    streams.setStateListener(
        (newState, oldState) -> {
          if (newState == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    streams.start();
    running.await();
    System.out.println(RUNNING);
    new CountDownLatch(1).await();
  }
}
