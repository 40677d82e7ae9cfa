package io.sluice.bench.measure;

import io.sluice.bench.scenario.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The figures of one run from its per-second samples: the steady window after the warm-up, the 429s
 * during and after the warm-up, and a series per {@code stepSeconds}.
 *
 * @param steady the window from the end of the warm-up to the end of the run
 * @param rateLimitedTotal 429s over the whole run
 * @param rateLimitedWarmUp 429s during the warm-up
 * @param rateLimitedAfterWarmUp 429s after the warm-up
 * @param rateLimitedShareOfCalls 429s over all calls (accepted and refused) of the run
 * @param rateLimitedShareAfterFirstMinute the same from 60 s on (issue 15's criterion: ≤ 0.5%)
 * @param series consecutive windows of {@code stepSeconds}
 */
public record RunFigures(
    double warmUpSeconds,
    double rateLimitWarmUpSeconds,
    WindowFigures steady,
    long requestsTotal,
    long rateLimitedTotal,
    long rateLimitedWarmUp,
    long rateLimitedAfterWarmUp,
    double rateLimitedShareOfCalls,
    double rateLimitedShareAfterFirstMinute,
    List<WindowFigures> series) {

  /** Where issue 15 starts counting 429s against all calls. */
  static final double FIRST_MINUTE_SECONDS = 60;

  /**
   * Computes the figures.
   *
   * @param samples cumulative samples in time order, the first at (or near) zero
   * @param warmUpSeconds the start excluded from the steady window (it holds the full bucket's
   *     initial burst, which would inflate any share measured over it)
   * @param rateLimitWarmUpSeconds the start whose 429s are reported apart
   * @param stepSeconds the series' window length
   */
  public static RunFigures of(
      List<Sample> samples,
      Limits limits,
      double warmUpSeconds,
      double rateLimitWarmUpSeconds,
      double stepSeconds) {
    if (samples.size() < 2) {
      throw new IllegalArgumentException("a run needs at least two samples");
    }
    Sample last = samples.getLast();
    Sample warm = at(samples, warmUpSeconds);
    WindowFigures steady = WindowFigures.between(warm, last, limits);
    // 429s count from the simulator's start (its meter starts at zero), including any before t=0
    long total = last.rateLimited();
    long warmUp = at(samples, rateLimitWarmUpSeconds).rateLimited();
    long calls = last.requests() + total;
    Sample minute = at(samples, FIRST_MINUTE_SECONDS);
    long refusedLater = total - minute.rateLimited();
    long callsLater = refusedLater + last.requests() - minute.requests();
    return new RunFigures(
        warm.seconds(),
        at(samples, rateLimitWarmUpSeconds).seconds(),
        steady,
        last.requests(),
        total,
        warmUp,
        total - warmUp,
        calls == 0 ? 0 : (double) total / calls,
        callsLater == 0 ? 0 : (double) refusedLater / callsLater,
        series(samples, limits, stepSeconds));
  }

  /**
   * The figures over the whole windows of a provider that counts each window of the clock on its
   * own (enforcement variant c): from the first window boundary at or after {@code fromSeconds} to
   * the last one the run reached. Over any other span such a provider allows more or less than its
   * limit's rate — a span that opens just before a boundary holds two windows' worth of limit — so
   * the steady window's share says nothing there. Each end is the last sample at or before its
   * boundary (samples are a second apart): the burst a window opens with is counted in it.
   *
   * @param startedAt the wall-clock instant of the run's time zero
   * @param window the provider's window, aligned to the epoch
   * @return empty when the run holds no whole window after {@code fromSeconds}
   */
  public static Optional<WindowFigures> wholeWindows(
      List<Sample> samples, Limits limits, double fromSeconds, Instant startedAt, Duration window) {
    double zero = startedAt.toEpochMilli() / 1000.0;
    double length = window.toMillis() / 1000.0;
    double first = Math.ceil((zero + fromSeconds) / length - 1e-9) * length - zero;
    double last = Math.floor((zero + samples.getLast().seconds()) / length + 1e-9) * length - zero;
    if (last - first < length - 1e-9) {
      return Optional.empty();
    }
    return Optional.of(
        WindowFigures.between(atOrBefore(samples, first), atOrBefore(samples, last), limits));
  }

  /** The last sample at or before {@code seconds} (the first one if none is). */
  static Sample atOrBefore(List<Sample> samples, double seconds) {
    Sample found = samples.getFirst();
    for (Sample sample : samples) {
      if (sample.seconds() > seconds + 1e-9) {
        break;
      }
      found = sample;
    }
    return found;
  }

  /** The first sample at or after {@code seconds} (the last one if none is). */
  static Sample at(List<Sample> samples, double seconds) {
    for (Sample sample : samples) {
      if (sample.seconds() >= seconds - 1e-9) {
        return sample;
      }
    }
    return samples.getLast();
  }

  private static List<WindowFigures> series(List<Sample> samples, Limits limits, double step) {
    List<WindowFigures> windows = new ArrayList<>();
    Sample start = samples.getFirst();
    for (Sample sample : samples) {
      if (sample.seconds() - start.seconds() >= step - 1e-9) {
        windows.add(WindowFigures.between(start, sample, limits));
        start = sample;
      }
    }
    return windows;
  }
}
