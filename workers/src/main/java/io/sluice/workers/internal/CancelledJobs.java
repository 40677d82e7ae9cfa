package io.sluice.workers.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The jobs a pool knows are cancelled: a bounded set that forgets a job {@code memory} after its
 * cancel was asked for, and the oldest first when it is full. Thread-safe: the control listener
 * adds, task threads ask.
 */
public final class CancelledJobs {
  private final Duration memory;
  private final int capacity;
  private final Clock clock;
  private final LinkedHashMap<String, Instant> cancelled = new LinkedHashMap<>();

  public CancelledJobs(Duration memory, int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.memory = Objects.requireNonNull(memory, "memory");
    this.capacity = capacity;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The job was cancelled at {@code requestedAt} ({@code null}: now); a repeat changes nothing. */
  public synchronized void add(String jobId, Instant requestedAt) {
    Instant at = requestedAt == null ? clock.instant() : requestedAt;
    if (cancelled.containsKey(jobId) || isForgotten(at, clock.instant())) {
      return;
    }
    cancelled.put(jobId, at);
    while (cancelled.size() > capacity) {
      Iterator<String> oldest = cancelled.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Whether the job is known to be cancelled (and not yet forgotten). */
  public synchronized boolean contains(String jobId) {
    forgetOld();
    return cancelled.containsKey(jobId);
  }

  public synchronized int size() {
    forgetOld();
    return cancelled.size();
  }

  /** Entries are kept in arrival order; cancels arrive roughly in time order, so this is cheap. */
  private void forgetOld() {
    Instant now = clock.instant();
    Iterator<Map.Entry<String, Instant>> entries = cancelled.entrySet().iterator();
    while (entries.hasNext() && isForgotten(entries.next().getValue(), now)) {
      entries.remove();
    }
  }

  private boolean isForgotten(Instant requestedAt, Instant now) {
    return !requestedAt.plus(memory).isAfter(now);
  }
}
