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

  /** A request starts. */
  public void enter() {
    lock.lock();
    try {
      count++;
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
