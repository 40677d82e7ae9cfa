package io.sluice.bench.intake;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What one step's requests came to, recorded by the generator's one I/O thread (not thread-safe).
 *
 * <p>The <b>corrected</b> latency of an accepted request runs from its <em>intended</em> send time
 * (the schedule's, {@link Schedule#intendedNanos}) to its response: a request that waited for a
 * connection, or behind a stalled server, or behind a late generator, carries that wait, so the
 * figures are not bent by coordinated omission. The <b>service time</b> runs from the moment its
 * bytes were written; the <b>send lag</b> is the difference, how late the generator sent. Latencies
 * are those of {@code 202} responses only; every other outcome is counted.
 */
public final class StepRecorder {
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
  private static final int SIGNIFICANT_DIGITS = 3;

  private final Histogram corrected = histogram();
  private final Histogram service = histogram();
  private final Histogram sendLag = histogram();
  private final Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
  private long sent;
  private long connectErrors;
  private int peakConnections;

  private static Histogram histogram() {
    return new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  }

  /** A request's bytes went out at {@code sentNanos}; it was meant to at {@code intendedNanos}. */
  public void sent(long intendedNanos, long sentNanos) {
    sent++;
    sendLag.recordValue(micros(sentNanos - intendedNanos));
  }

  /** A response with {@code status} arrived at {@code receivedNanos}. */
  public void responded(int status, long intendedNanos, long sentNanos, long receivedNanos) {
    Outcome outcome = Outcome.ofStatus(status);
    tally(outcome);
    if (outcome == Outcome.ACCEPTED) {
      corrected.recordValue(micros(receivedNanos - intendedNanos));
      service.recordValue(micros(receivedNanos - sentNanos));
    }
  }

  /** A request ended without a response. */
  public void failed(Outcome outcome) {
    if (outcome == Outcome.ACCEPTED) {
      throw new IllegalArgumentException("an accepted request has a response");
    }
    tally(outcome);
  }

  /** A connection could not be opened (the requests waiting for it stay waiting). */
  public void connectFailed() {
    connectErrors++;
  }

  /** The generator holds {@code open} connections now. */
  public void connections(int open) {
    peakConnections = Math.max(peakConnections, open);
  }

  public long connectErrors() {
    return connectErrors;
  }

  /** The most connections open at once during the step. */
  public int peakConnections() {
    return peakConnections;
  }

  private void tally(Outcome outcome) {
    outcomes.merge(outcome, 1L, Long::sum);
  }

  private static long micros(long nanos) {
    return Math.min(HIGHEST_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos)));
  }

  public long sent() {
    return sent;
  }

  public long count(Outcome outcome) {
    return outcomes.getOrDefault(outcome, 0L);
  }

  /** Every outcome, zeros included, in declaration order. */
  public Map<Outcome, Long> outcomes() {
    Map<Outcome, Long> all = new EnumMap<>(Outcome.class);
    for (Outcome outcome : Outcome.values()) {
      all.put(outcome, count(outcome));
    }
    return all;
  }

  public LatencyFigures corrected() {
    return LatencyFigures.ofMicros(corrected);
  }

  public LatencyFigures serviceTime() {
    return LatencyFigures.ofMicros(service);
  }

  public LatencyFigures sendLag() {
    return LatencyFigures.ofMicros(sendLag);
  }
}
