package io.sluice.jobapi.http;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The HTTP requests being served, so that a stop can let them finish before the beans and the
 * connection pool they use go away. Counted by a server filter from the moment a request is routed
 * to the moment its response is complete (or it failed or was cancelled). Micronaut's blocking
 * executor cannot be waited for instead: on virtual threads (Java 21+) its {@code shutdown} and
 * {@code awaitTermination} do nothing.
 */
public final class InFlightRequests {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private int count;
  private boolean closed;

  /**
   * A request starts, unless the stop has begun: then it is refused (false) and not counted — a
   * request arriving on a kept-alive connection after the listener closed must not run into beans
   * that are going away.
   */
  public boolean tryEnter() {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      count++;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses every later request; those under way go on and are waited for by {@link #awaitNone}.
   */
  public void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /** A request ended, however it ended. */
  public void exit() {
    lock.lock();
    try {
      if (--count == 0) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Requests being served now. */
  public int count() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until no request is being served, at most {@code timeout}; returns how many still are (0
   * when they all finished).
   */
  public int awaitNone(Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (count > 0 && remaining > 0) {
        remaining = idle.awaitNanos(remaining);
      }
      return count;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "InFlightRequests[" + count() + "]";
  }
}
