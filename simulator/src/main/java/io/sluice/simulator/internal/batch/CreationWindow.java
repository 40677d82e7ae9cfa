package io.sluice.simulator.internal.batch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Batch creations in a sliding window (OpenAI: per organization and hour): admits a creation while
 * fewer than the limit happened in the last window, else says how long until the oldest leaves it.
 * Thread-safe.
 */
public final class CreationWindow {
  private final long limit;
  private final Duration window;
  private final Deque<Instant> creations = new ArrayDeque<>();

  public CreationWindow(long limit, Duration window) {
    this.limit = limit;
    this.window = window;
  }

  /**
   * Counts a creation at {@code now} if the limit allows it.
   *
   * @return empty when admitted, else how long to wait
   */
  public synchronized Optional<Duration> admit(Instant now) {
    if (limit == Long.MAX_VALUE) {
      return Optional.empty();
    }
    while (!creations.isEmpty() && !creations.peekFirst().plus(window).isAfter(now)) {
      creations.removeFirst();
    }
    if (creations.size() >= limit) {
      return Optional.of(Duration.between(now, creations.peekFirst().plus(window)));
    }
    creations.addLast(now);
    return Optional.empty();
  }

  public long limit() {
    return limit;
  }

  public Duration window() {
    return window;
  }
}
