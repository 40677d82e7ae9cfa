package io.sluice.simulator.internal.batch;

import io.sluice.simulator.BatchSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The timelines of one API's batches: numbers the batches in the order they are created and draws
 * each one's processing time from the settings' range, log-uniformly, seeded by the settings' seed
 * and that number. The same settings and the same order of creations give the same times.
 */
public final class BatchTiming {
  private final BatchSettings settings;
  private final Duration finalizing;
  private final AtomicLong created = new AtomicLong();

  /**
   * @param settings the batch settings
   * @param finalizing how long a finished batch spends finalizing (OpenAI: the validation time;
   *     Anthropic: none)
   */
  public BatchTiming(BatchSettings settings, Duration finalizing) {
    this.settings = settings;
    this.finalizing = finalizing;
  }

  /** The next batch: its creation number, line-order seed and timeline. */
  public Planned next(Instant now, int lines, boolean invalid) {
    long number = created.incrementAndGet();
    BatchTimeline timeline =
        new BatchTimeline(
            now,
            settings.validationTime(),
            processingTime(settings, number),
            finalizing,
            settings.completionWindow(),
            settings.cancelTime(),
            lines,
            invalid,
            null,
            settings.lineSkew());
    return new Planned(number, settings.seed() ^ mix(number), timeline);
  }

  /** A batch about to be created. */
  public record Planned(long number, long orderSeed, BatchTimeline timeline) {}

  /** The processing time of the {@code number}-th batch. */
  static Duration processingTime(BatchSettings settings, long number) {
    Duration min = settings.processingTime();
    Duration max = settings.processingTimeMax();
    if (!settings.hasProcessingSpread()) {
      return min;
    }
    double u = new SplittableRandom(settings.seed() ^ mix(number + 1)).nextDouble();
    double lo = min.toNanos();
    double hi = max.toNanos();
    double nanos = lo > 0 ? lo * Math.pow(hi / lo, u) : hi * u;
    return Duration.ofNanos(Math.min(max.toNanos(), Math.max(min.toNanos(), Math.round(nanos))));
  }

  private static long mix(long value) {
    return value * 0x9E3779B97F4A7C15L;
  }
}
