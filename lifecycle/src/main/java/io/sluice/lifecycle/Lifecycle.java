package io.sluice.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
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

  /**
   * A part to start with {@link #startTogether}.
   *
   * @param name the part, as logs name it
   * @param start starts it and returns what closes it
   */
  public record PartStart(String name, Callable<? extends AutoCloseable> start) {
    public PartStart {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(start, "start");
    }
  }

  /**
   * Starts independent parts at the same time, one thread each, and registers them in list order
   * once all have started, so that they stop in the reverse of that order whichever finished
   * starting first. Parts that wait on the network (a broker coming up, a database) start in the
   * time of the slowest one instead of the sum.
   *
   * <p>When one fails, the parts of this call that did start are closed (reverse list order) and
   * the first failure in list order is rethrown, unchecked; parts registered before stay
   * registered.
   */
  public void startTogether(List<PartStart> starts) {
    List<Future<? extends AutoCloseable>> futures = new ArrayList<>();
    try (ExecutorService threads = Executors.newThreadPerTaskExecutor(startThreads())) {
      for (PartStart start : starts) {
        futures.add(threads.submit(start.start()));
      }
    }
    List<Part> startedParts = new ArrayList<>();
    RuntimeException failure = null;
    for (int i = 0; i < starts.size(); i++) {
      try {
        startedParts.add(new Part(starts.get(i).name(), futures.get(i).get()));
      } catch (ExecutionException e) {
        failure = failure != null ? failure : unchecked(starts.get(i).name(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = failure != null ? failure : unchecked(starts.get(i).name(), e);
      }
    }
    if (failure == null && !register(startedParts)) {
      failure = new IllegalStateException(name + " is stopping; the parts just started are closed");
    }
    if (failure != null) {
      startedParts.reversed().forEach(this::closeQuietly);
      throw failure;
    }
  }

  private synchronized boolean register(List<Part> startedParts) {
    if (closed) {
      return false;
    }
    startedParts.forEach(parts::push);
    return true;
  }

  private ThreadFactory startThreads() {
    return Thread.ofPlatform().name(name.replace(' ', '-') + "-start-", 0).factory();
  }

  private static RuntimeException unchecked(String partName, Throwable cause) {
    return cause instanceof RuntimeException runtime
        ? runtime
        : new IllegalStateException(partName + " did not start: " + cause, cause);
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

  /**
   * Closes every part at the same time instead of last first, and returns once all are closed: for
   * a lifecycle of independent parts whose stops each wait on the network (the worker pools of
   * several providers). Idempotent; a part that fails to close is logged as by {@link #close}.
   */
  public void closeTogether() {
    long started = System.nanoTime();
    List<Part> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(parts);
      parts.clear();
    }
    LOG.info("{} stopping", name);
    ThreadFactory stopThreads =
        Thread.ofPlatform().name(name.replace(' ', '-') + "-stop-", 0).factory();
    try (ExecutorService threads = Executors.newThreadPerTaskExecutor(stopThreads)) {
      all.forEach(part -> threads.execute(() -> closeQuietly(part)));
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
