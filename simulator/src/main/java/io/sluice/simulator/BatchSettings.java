package io.sluice.simulator;

import java.time.Duration;

/**
 * How provider batches behave, on the injected clock. A batch validates for {@code validationTime},
 * then its lines finish evenly spread over {@code processingTime}; a batch still unfinished after
 * {@code completionWindow} expires (finished lines are delivered, the rest become {@code
 * batch_expired} / {@code expired}). Set {@code processingTime} longer than {@code
 * completionWindow} to make batches expire.
 *
 * @param validationTime time in {@code validating} (OpenAI) before lines start finishing; also the
 *     time OpenAI batches spend in {@code finalizing}
 * @param processingTime time from the end of validation until the last line is done
 * @param completionWindow when an unfinished batch expires (24 h at the providers)
 * @param errorShare share of lines that fail with a 500 {@code server_error} / {@code api_error}
 * @param cancelTime how long {@code cancelling} / {@code canceling} lasts
 * @param seed seed for choosing the errored lines and shuffling output order
 */
public record BatchSettings(
    Duration validationTime,
    Duration processingTime,
    Duration completionWindow,
    double errorShare,
    Duration cancelTime,
    long seed) {

  /**
   * Quick batches for tests: 100 ms validation (and finalizing), 1 s processing, 24 h window, no
   * errors, 100 ms cancelling.
   */
  public static final BatchSettings DEFAULT =
      new BatchSettings(
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          Duration.ofHours(24),
          0.0,
          Duration.ofMillis(100),
          7);

  public BatchSettings {
    if (validationTime.isNegative() || processingTime.isNegative() || cancelTime.isNegative()) {
      throw new IllegalArgumentException("batch times must not be negative");
    }
    if (!completionWindow.isPositive()) {
      throw new IllegalArgumentException("completionWindow must be positive");
    }
    if (errorShare < 0 || errorShare > 1 || Double.isNaN(errorShare)) {
      throw new IllegalArgumentException("errorShare must be between 0 and 1: " + errorShare);
    }
  }

  public BatchSettings withProcessingTime(Duration time) {
    return new BatchSettings(validationTime, time, completionWindow, errorShare, cancelTime, seed);
  }

  public BatchSettings withCompletionWindow(Duration window) {
    return new BatchSettings(validationTime, processingTime, window, errorShare, cancelTime, seed);
  }

  public BatchSettings withErrorShare(double share) {
    return new BatchSettings(
        validationTime, processingTime, completionWindow, share, cancelTime, seed);
  }

  public BatchSettings withValidationTime(Duration time) {
    return new BatchSettings(time, processingTime, completionWindow, errorShare, cancelTime, seed);
  }

  public BatchSettings withCancelTime(Duration time) {
    return new BatchSettings(
        validationTime, processingTime, completionWindow, errorShare, time, seed);
  }
}
