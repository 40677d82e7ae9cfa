package io.sluice.bench.intake;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one latency histogram, in milliseconds.
 *
 * @param count values recorded
 * @param p50Ms the median
 * @param p90Ms the 90th percentile
 * @param p99Ms the 99th percentile
 * @param p999Ms the 99.9th percentile
 * @param maxMs the largest
 * @param meanMs the mean
 */
public record LatencyFigures(
    long count,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double p999Ms,
    double maxMs,
    double meanMs) {

  public static final LatencyFigures NONE = new LatencyFigures(0, 0, 0, 0, 0, 0, 0);

  private static final double MICROS_PER_MILLI = 1000.0;

  /** Of a histogram recorded in microseconds. */
  public static LatencyFigures ofMicros(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return NONE;
    }
    return new LatencyFigures(
        micros.getTotalCount(),
        millis(micros.getValueAtPercentile(50)),
        millis(micros.getValueAtPercentile(90)),
        millis(micros.getValueAtPercentile(99)),
        millis(micros.getValueAtPercentile(99.9)),
        millis(micros.getMaxValue()),
        Math.round(micros.getMean()) / MICROS_PER_MILLI);
  }

  private static double millis(long micros) {
    return micros / MICROS_PER_MILLI;
  }
}
