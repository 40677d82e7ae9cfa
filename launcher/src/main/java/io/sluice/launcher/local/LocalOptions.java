package io.sluice.launcher.local;

import io.sluice.lane.DeadlinePolicy;
import io.sluice.simulator.BatchSettings;
import io.sluice.simulator.Profile;
import io.sluice.simulator.Profiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run every component in one JVM.
 *
 * @param dataDir where Kafka, PostgreSQL, the dispatcher's state and the dev API key live
 * @param apiPort the job API's port (0 picks a free one)
 * @param simulatorProfile the simulator's rate limits, which Sluice's rate limiter takes too
 * @param simulatorLatency the simulator's base latency per call
 * @param workerConcurrency tasks in flight per provider's worker pool
 * @param deadlines what deadlines mean for lanes (the providers' 24 h batch window by default)
 * @param simulatorBatches how the simulator's provider batches behave (quick by default)
 * @param managementPort the port of {@code /metrics} and the health endpoints of every component (a
 *     free one when taken; 0, the default of the shorter constructors, picks a free one)
 */
public record LocalOptions(
    Path dataDir,
    int apiPort,
    Profile simulatorProfile,
    Duration simulatorLatency,
    int workerConcurrency,
    DeadlinePolicy deadlines,
    BatchSettings simulatorBatches,
    int managementPort) {

  public static final int DEFAULT_API_PORT = 8080;
  public static final int DEFAULT_MANAGEMENT_PORT = 9090;
  public static final String DEFAULT_PROFILE = "unlimited";
  public static final Duration DEFAULT_LATENCY = Duration.ofMillis(20);
  public static final int DEFAULT_WORKER_CONCURRENCY = 64;

  public LocalOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(simulatorProfile, "simulatorProfile");
    Objects.requireNonNull(deadlines, "deadlines");
    Objects.requireNonNull(simulatorBatches, "simulatorBatches");
    if (apiPort < 0 || apiPort > 65535) {
      throw new IllegalArgumentException("--port must be 0 to 65535, got " + apiPort);
    }
    if (managementPort < 0 || managementPort > 65535) {
      throw new IllegalArgumentException(
          "--management-port must be 0 to 65535, got " + managementPort);
    }
    if (workerConcurrency < 1) {
      throw new IllegalArgumentException(
          "--worker-concurrency must be at least 1, got " + workerConcurrency);
    }
  }

  /**
   * With a built-in simulator profile by name ({@code unlimited}, {@code openai-tier1}, ...).
   *
   * @throws IllegalArgumentException for an unknown profile, naming the known ones
   */
  public LocalOptions(
      Path dataDir,
      int apiPort,
      String simulatorProfile,
      Duration simulatorLatency,
      int workerConcurrency) {
    this(dataDir, apiPort, Profiles.named(simulatorProfile), simulatorLatency, workerConcurrency);
  }

  /** With the default deadline policy and quick simulator batches. */
  public LocalOptions(
      Path dataDir,
      int apiPort,
      Profile simulatorProfile,
      Duration simulatorLatency,
      int workerConcurrency) {
    this(
        dataDir,
        apiPort,
        simulatorProfile,
        simulatorLatency,
        workerConcurrency,
        DeadlinePolicy.DEFAULT,
        BatchSettings.DEFAULT,
        0);
  }

  /** These options with another deadline policy. */
  public LocalOptions withDeadlines(DeadlinePolicy policy) {
    return new LocalOptions(
        dataDir,
        apiPort,
        simulatorProfile,
        simulatorLatency,
        workerConcurrency,
        policy,
        simulatorBatches,
        managementPort);
  }

  /** These options with other simulator batch timings. */
  public LocalOptions withSimulatorBatches(BatchSettings batches) {
    return new LocalOptions(
        dataDir,
        apiPort,
        simulatorProfile,
        simulatorLatency,
        workerConcurrency,
        deadlines,
        batches,
        managementPort);
  }

  /** These options with another management port. */
  public LocalOptions withManagementPort(int port) {
    return new LocalOptions(
        dataDir,
        apiPort,
        simulatorProfile,
        simulatorLatency,
        workerConcurrency,
        deadlines,
        simulatorBatches,
        port);
  }
}
