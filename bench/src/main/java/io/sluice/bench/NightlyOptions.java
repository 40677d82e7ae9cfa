package io.sluice.bench;

import java.time.Duration;

/**
 * The settings of the {@code deferred-nightly} scenario.
 *
 * @param jobs jobs submitted over HTTP
 * @param submitConcurrency concurrent submissions (and reads at the end)
 * @param batchTimeMin the shortest processing time of a simulator batch
 * @param batchTimeMax the longest (each batch draws log-uniformly in between)
 * @param timeout how long to wait for every job to be terminal before giving up
 */
public record NightlyOptions(
    int jobs,
    int submitConcurrency,
    Duration batchTimeMin,
    Duration batchTimeMax,
    Duration timeout) {

  /** 100,000 jobs, 32 connections, batches of 15 s to 2 min, 2 h at most. */
  public static final NightlyOptions DEFAULT =
      new NightlyOptions(
          100_000, 32, Duration.ofSeconds(15), Duration.ofMinutes(2), Duration.ofHours(2));

  public NightlyOptions {
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
    }
    if (submitConcurrency < 1) {
      throw new IllegalArgumentException(
          "--submit-concurrency must be at least 1, got " + submitConcurrency);
    }
    if (batchTimeMin.isNegative() || batchTimeMax.compareTo(batchTimeMin) < 0) {
      throw new IllegalArgumentException(
          "--batch-time must be min-max with 0 <= min <= max, got "
              + batchTimeMin
              + "-"
              + batchTimeMax);
    }
    if (!timeout.isPositive()) {
      throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
    }
  }

  NightlyOptions withJobs(int value) {
    return new NightlyOptions(value, submitConcurrency, batchTimeMin, batchTimeMax, timeout);
  }

  NightlyOptions withSubmitConcurrency(int value) {
    return new NightlyOptions(jobs, value, batchTimeMin, batchTimeMax, timeout);
  }

  NightlyOptions withTimeout(Duration value) {
    return new NightlyOptions(jobs, submitConcurrency, batchTimeMin, batchTimeMax, value);
  }

  /** {@code 15s-2m}: the processing-time range; one value means every batch takes that long. */
  NightlyOptions withBatchTime(String range) {
    String[] parts = range.split("-", 2);
    Duration min = BenchOptions.duration(parts[0]);
    Duration max = parts.length == 2 ? BenchOptions.duration(parts[1]) : min;
    return new NightlyOptions(jobs, submitConcurrency, min, max, timeout);
  }
}
