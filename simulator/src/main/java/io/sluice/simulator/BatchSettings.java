package io.sluice.simulator;

import java.time.Duration;

/**
 * How provider batches behave, on the injected clock. A batch validates for {@code validationTime},
 * then its lines finish over its processing time; a batch still unfinished after {@code
 * completionWindow} expires (finished lines are delivered, the rest become {@code batch_expired} /
 * {@code expired}). Set {@code processingTime} longer than {@code completionWindow} to make batches
 * expire.
 *
 * <p>Each batch's processing time is drawn between {@code processingTime} and {@code
 * processingTimeMax}, log-uniformly (so short batches are more common than long ones, as at the
 * providers), from {@code seed} and the batch's creation number: the same settings and the same
 * order of creations give the same times. Within a batch, the share of lines done after a fraction
 * {@code x} of its processing time is {@code 1 - (1 - x)^lineSkew}: {@code 1} spreads them evenly,
 * larger values finish most lines early and leave a tail that trickles in.
 *
 * @param validationTime time in {@code validating} (OpenAI) before lines start finishing; also the
 *     time OpenAI batches spend in {@code finalizing}
 * @param processingTime the shortest time from the end of validation until the last line is done
 *     (the only one when {@code processingTimeMax} is the same)
 * @param completionWindow when an unfinished batch expires (24 h at the providers)
 * @param errorShare share of lines that fail with a 500 {@code server_error} / {@code api_error}
 * @param cancelTime how long {@code cancelling} / {@code canceling} lasts
 * @param seed seed for the errored lines, the output order and the processing times
 * @param processingTimeMax the longest processing time a batch can draw
 * @param lineSkew how unevenly lines finish within a batch ({@code 1}: evenly)
 */
public record BatchSettings(
    Duration validationTime,
    Duration processingTime,
    Duration completionWindow,
    double errorShare,
    Duration cancelTime,
    long seed,
    Duration processingTimeMax,
    double lineSkew) {

  /**
   * Quick batches for tests: 100 ms validation (and finalizing), 1 s processing for every batch,
   * lines finishing evenly, 24 h window, no errors, 100 ms cancelling.
   */
  public static final BatchSettings DEFAULT =
      new BatchSettings(
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          Duration.ofHours(24),
          0.0,
          Duration.ofMillis(100),
          7);

  /**
   * Batches for benchmarks: 20 s validation (and finalizing), processing between 2 and 20 minutes
   * per batch, most lines done early with a tail ({@code lineSkew} 3), 24 h window, no errors (add
   * them with {@link #withErrorShare}), 10 s cancelling.
   */
  public static final BatchSettings BENCHMARK =
      new BatchSettings(
          Duration.ofSeconds(20),
          Duration.ofMinutes(2),
          Duration.ofHours(24),
          0.0,
          Duration.ofSeconds(10),
          7,
          Duration.ofMinutes(20),
          3.0);

  public BatchSettings {
    if (validationTime.isNegative() || processingTime.isNegative() || cancelTime.isNegative()) {
      throw new IllegalArgumentException("batch times must not be negative");
    }
    if (processingTimeMax.compareTo(processingTime) < 0) {
      throw new IllegalArgumentException(
          "processingTimeMax "
              + processingTimeMax
              + " must not be shorter than processingTime "
              + processingTime);
    }
    if (!completionWindow.isPositive()) {
      throw new IllegalArgumentException("completionWindow must be positive");
    }
    if (errorShare < 0 || errorShare > 1 || Double.isNaN(errorShare)) {
      throw new IllegalArgumentException("errorShare must be between 0 and 1: " + errorShare);
    }
    if (!(lineSkew > 0) || Double.isInfinite(lineSkew)) {
      throw new IllegalArgumentException("lineSkew must be a positive number: " + lineSkew);
    }
  }

  /** Settings where every batch takes {@code processingTime} and lines finish evenly. */
  public BatchSettings(
      Duration validationTime,
      Duration processingTime,
      Duration completionWindow,
      double errorShare,
      Duration cancelTime,
      long seed) {
    this(
        validationTime,
        processingTime,
        completionWindow,
        errorShare,
        cancelTime,
        seed,
        processingTime,
        1.0);
  }

  /** A copy where every batch takes exactly {@code time} to process. */
  public BatchSettings withProcessingTime(Duration time) {
    return withProcessingTime(time, time);
  }

  /** A copy where each batch draws its processing time between {@code min} and {@code max}. */
  public BatchSettings withProcessingTime(Duration min, Duration max) {
    return new BatchSettings(
        validationTime, min, completionWindow, errorShare, cancelTime, seed, max, lineSkew);
  }

  /** A copy where lines finish with this skew ({@code 1}: evenly). */
  public BatchSettings withLineSkew(double skew) {
    return new BatchSettings(
        validationTime,
        processingTime,
        completionWindow,
        errorShare,
        cancelTime,
        seed,
        processingTimeMax,
        skew);
  }

  public BatchSettings withCompletionWindow(Duration window) {
    return new BatchSettings(
        validationTime,
        processingTime,
        window,
        errorShare,
        cancelTime,
        seed,
        processingTimeMax,
        lineSkew);
  }

  public BatchSettings withErrorShare(double share) {
    return new BatchSettings(
        validationTime,
        processingTime,
        completionWindow,
        share,
        cancelTime,
        seed,
        processingTimeMax,
        lineSkew);
  }

  public BatchSettings withValidationTime(Duration time) {
    return new BatchSettings(
        time,
        processingTime,
        completionWindow,
        errorShare,
        cancelTime,
        seed,
        processingTimeMax,
        lineSkew);
  }

  public BatchSettings withCancelTime(Duration time) {
    return new BatchSettings(
        validationTime,
        processingTime,
        completionWindow,
        errorShare,
        time,
        seed,
        processingTimeMax,
        lineSkew);
  }

  public BatchSettings withSeed(long value) {
    return new BatchSettings(
        validationTime,
        processingTime,
        completionWindow,
        errorShare,
        cancelTime,
        value,
        processingTimeMax,
        lineSkew);
  }

  /** Whether batches draw different processing times. */
  public boolean hasProcessingSpread() {
    return processingTimeMax.compareTo(processingTime) > 0;
  }
}
