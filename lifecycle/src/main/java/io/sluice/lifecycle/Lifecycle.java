package io.sluice.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a process in the order they started, stopped in the reverse order: the API stops
 * accepting before the relay and consumers stop, those before the Kafka and PostgreSQL they use. A
 * process registers each part right after it started it and installs one JVM shutdown hook here;
 * parts must not install hooks of their own (JVM hooks run concurrently, in no order).
 *
 * <p>Closing a part that fails is logged (type and message only) and the rest still close.
 * Thread-safe.
 */
public final class Lifecycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  private record Part(String name, AutoCloseable closer) {}

  private final String name;
  private final Deque<Part> parts = new ArrayDeque<>();
  private boolean closed;
  private Thread hook;

  /**
   * @param name the process, as logs name it ({@code "sluice local"})
   */
  public Lifecycle(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /** Registers a started part; it is closed before every part registered earlier. */
  public synchronized <T extends AutoCloseable> T started(String partName, T part) {
    Objects.requireNonNull(part, "part");
    if (closed) {
      throw new IllegalStateException(name + " is stopping; cannot add " + partName);
    }
    parts.push(new Part(partName, part));
    return part;
  }

  /** Installs the one JVM shutdown hook that closes this lifecycle (SIGTERM, SIGINT, exit). */
  public synchronized Lifecycle closeOnShutdown() {
    if (hook == null) {
      hook = new Thread(this::close, "sluice-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    return this;
  }

  /** Closes every part, last started first. Idempotent. */
  @Override
  public void close() {
    long started = System.nanoTime();
    Part part;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    LOG.info("{} stopping", name);
    while ((part = next()) != null) {
      closeQuietly(part);
    }
    removeHook();
    LOG.info("{} stopped in {} ms", name, Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  private synchronized Part next() {
    return parts.poll();
  }

  private void closeQuietly(Part part) {
    try {
      LOG.debug("{}: stopping {}", name, part.name());
      part.closer().close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("{}: interrupted while stopping {}; stopping the rest", name, part.name());
    } catch (Exception e) {
      LOG.warn(
          "{}: stopping {} failed ({}: {}); stopping the rest",
          name,
          part.name(),
          e.getClass().getSimpleName(),
          e.getMessage());
    }
  }

  private synchronized void removeHook() {
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running or has run
      }
    }
  }
}
