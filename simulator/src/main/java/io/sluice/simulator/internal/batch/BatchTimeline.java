package io.sluice.simulator.internal.batch;

import java.time.Duration;
import java.time.Instant;

/**
 * When things happen to one batch, as a pure function of the clock: it validates until {@code
 * processingStart}, then its {@code lines} finish over {@code processing} (evenly for {@code
 * lineSkew} 1; after a fraction {@code x} of the time, {@code 1 - (1 - x)^lineSkew} of them), then
 * it finalizes for {@code finalizing}; a cancel stops the work and ends after {@code cancelTime};
 * the {@code window} ends it as expired if the work is not done by then.
 */
public record BatchTimeline(
    Instant created,
    Duration validation,
    Duration processing,
    Duration finalizing,
    Duration window,
    Duration cancelTime,
    int lines,
    boolean invalid,
    Instant cancelRequested,
    double lineSkew) {

  /** A timeline whose lines finish evenly. */
  public BatchTimeline(
      Instant created,
      Duration validation,
      Duration processing,
      Duration finalizing,
      Duration window,
      Duration cancelTime,
      int lines,
      boolean invalid,
      Instant cancelRequested) {
    this(
        created,
        validation,
        processing,
        finalizing,
        window,
        cancelTime,
        lines,
        invalid,
        cancelRequested,
        1.0);
  }

  /** The batch's state at a moment. */
  public record State(BatchPhase phase, int linesDone, Instant phaseSince) {}

  public Instant processingStart() {
    return created.plus(validation);
  }

  public Instant workDone() {
    return processingStart().plus(processing);
  }

  public Instant expiry() {
    return created.plus(window);
  }

  /** A copy with a cancel requested at {@code when}. */
  public BatchTimeline cancelledAt(Instant when) {
    return new BatchTimeline(
        created,
        validation,
        processing,
        finalizing,
        window,
        cancelTime,
        lines,
        invalid,
        when,
        lineSkew);
  }

  /** The state at {@code now}. */
  public State at(Instant now) {
    if (invalid) {
      return before(now, processingStart())
          ? new State(BatchPhase.VALIDATING, 0, created)
          : new State(BatchPhase.FAILED, 0, processingStart());
    }
    Instant stop = earliest(workDone(), expiry());
    if (cancelRequested != null && cancelRequested.isBefore(stop)) {
      return cancelState(now);
    }
    if (!before(now, stop)) {
      return endState(now);
    }
    return before(now, processingStart())
        ? new State(BatchPhase.VALIDATING, 0, created)
        : new State(BatchPhase.IN_PROGRESS, linesDoneAt(now), processingStart());
  }

  private State cancelState(Instant now) {
    Instant end = cancelRequested.plus(cancelTime);
    int done = linesDoneAt(earliest(now, cancelRequested));
    return before(now, end)
        ? new State(BatchPhase.CANCELLING, done, cancelRequested)
        : new State(BatchPhase.CANCELLED, done, end);
  }

  private State endState(Instant now) {
    if (!workDone().isBefore(expiry())) {
      return new State(BatchPhase.EXPIRED, linesDoneAt(expiry()), expiry());
    }
    Instant completed = workDone().plus(finalizing);
    return before(now, completed)
        ? new State(BatchPhase.FINALIZING, lines, workDone())
        : new State(BatchPhase.COMPLETED, lines, completed);
  }

  /** Lines finished by {@code when}, following the skew over the processing time. */
  int linesDoneAt(Instant when) {
    if (before(when, processingStart())) {
      return 0;
    }
    long total = processing.toNanos();
    long elapsed = Duration.between(processingStart(), when).toNanos();
    if (total <= 0 || elapsed >= total) {
      return lines;
    }
    if (lineSkew == 1.0) {
      return (int) Math.min(lines, (long) ((double) lines * elapsed / total));
    }
    double share = 1 - Math.pow(1 - (double) elapsed / total, lineSkew);
    return (int) Math.min(lines, (long) (lines * share));
  }

  private static boolean before(Instant a, Instant b) {
    return a.isBefore(b);
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
