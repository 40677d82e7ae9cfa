package io.sluice.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step of background work again and again on its own thread: at once while the step says
 * there is more, after {@code idleWait} (or a {@link #wake}) when it says it is idle, and with
 * growing, jittered backoff while it fails. Every background loop in Sluice runs through this
 * class, so start, stop, backoff and logging are decided here once:
 *
 * <ul>
 *   <li>the first failure of a run of failures is one WARN line that names the loop, the failure's
 *       type and message, and when it retries; further failures of the same run are DEBUG;
 *   <li>the first success after failures is one INFO line saying the loop is back and how long it
 *       was failing;
 *   <li>{@link #close} stops the loop after the step under way and waits for it.
 * </ul>
 *
 * <p>A step must not put data of a job (prompts, outputs, metadata) into an exception's message:
 * the message is logged.
 */
public final class BackgroundLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoop.class);

  /** What a step found: more work waiting, or nothing to do for now. */
  public enum Next {
    /** Run the step again at once. */
    MORE,
    /** Wait for {@code idleWait} or a {@link #wake} before the next run. */
    IDLE
  }

  /** One unit of the loop's work. Exceptions it throws are the loop's failures. */
  @FunctionalInterface
  public interface Step {
    Next run() throws Exception;
  }

  /**
   * How a loop waits.
   *
   * @param idleWait pause after an idle step
   * @param minBackoff pause after the first failure; doubled per further failure
   * @param maxBackoff the longest pause after failures
   * @param stopTimeout how long {@link #close} waits for the step under way
   */
  public record Settings(
      Duration idleWait, Duration minBackoff, Duration maxBackoff, Duration stopTimeout) {
    public Settings {
      requirePositive(idleWait, "idleWait");
      requirePositive(minBackoff, "minBackoff");
      requirePositive(maxBackoff, "maxBackoff");
      requirePositive(stopTimeout, "stopTimeout");
      if (maxBackoff.compareTo(minBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff must be at least minBackoff");
      }
    }

    /** Idle wait as given; backoff 100 ms doubling to 10 s; close waits up to 30 s. */
    public static Settings idleWait(Duration idleWait) {
      return new Settings(
          idleWait, Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public Settings withBackoff(Duration min, Duration max) {
      return new Settings(idleWait, min, max, stopTimeout);
    }

    public Settings withStopTimeout(Duration timeout) {
      return new Settings(idleWait, minBackoff, maxBackoff, timeout);
    }

    private static void requirePositive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
    }
  }

  private final String name;
  private final Step step;
  private final Settings settings;
  private final Semaphore wakeups = new Semaphore(0);
  private final Thread thread;
  private final FailureRun failures;
  private volatile boolean running = true;

  /**
   * A loop, not yet started.
   *
   * @param name what the loop does, as an operator reads it ({@code "outbox relay"}); also its
   *     thread's name
   */
  public BackgroundLoop(String name, Settings settings, Step step) {
    this(name, settings, stopping -> step);
  }

  /**
   * A loop, not yet started, whose steps may be long: the step is made with a question it asks
   * between its parts, "is the loop being stopped?", so that {@link #close} does not wait for a
   * whole long step (it ends the step early and leaves its work for the next start).
   */
  public static BackgroundLoop ofLongSteps(
      String name, Settings settings, Function<BooleanSupplier, Step> step) {
    return new BackgroundLoop(name, settings, step);
  }

  private BackgroundLoop(String name, Settings settings, Function<BooleanSupplier, Step> step) {
    this.name = Objects.requireNonNull(name, "name");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.step = Objects.requireNonNull(step.apply(() -> !running), "step");
    this.failures = new FailureRun(settings.minBackoff(), settings.maxBackoff());
    this.thread =
        Thread.ofPlatform().daemon().name("sluice-" + name.replace(' ', '-')).unstarted(this::loop);
  }

  /** Starts the loop's thread. */
  public BackgroundLoop start() {
    thread.start();
    return this;
  }

  /** Ends an idle wait or a backoff now, e.g. because new work was committed. */
  public void wake() {
    wakeups.release();
  }

  /** Whether the loop's thread is running. */
  public boolean isAlive() {
    return thread.isAlive();
  }

  /** Whether the last step failed (the loop is backing off). */
  public boolean isFailing() {
    return failures.count() > 0;
  }

  private void loop() {
    while (running) {
      Duration pause;
      try {
        Next next = step.run();
        recovered();
        pause = next == Next.MORE ? Duration.ZERO : settings.idleWait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        pause = failed(e);
      }
      if (!pause.isZero()) {
        await(pause);
      }
    }
  }

  private void recovered() {
    if (failures.count() > 0) {
      LOG.info(
          "{} is working again after {} failed attempts over {} s",
          name,
          failures.count(),
          failures.elapsedSeconds());
      failures.reset();
    }
  }

  private Duration failed(Exception e) {
    Duration backoff = jitter(failures.next());
    if (failures.count() == 1) {
      LOG.warn(
          "{} failed ({}: {}); retrying in {} ms and backing off up to {} s while it keeps failing",
          name,
          e.getClass().getSimpleName(),
          e.getMessage(),
          backoff.toMillis(),
          settings.maxBackoff().toSeconds());
    } else {
      LOG.debug(
          "{} failed again ({}); retrying in {} ms", name, e.getMessage(), backoff.toMillis());
    }
    return backoff;
  }

  private static Duration jitter(Duration backoff) {
    long millis = backoff.toMillis();
    return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
  }

  private void await(Duration timeout) {
    try {
      wakeups.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
      wakeups.drainPermits();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops after the step under way and waits for it, up to the settings' stop timeout. */
  @Override
  public void close() {
    running = false;
    wakeups.release();
    if (Thread.currentThread() == thread || !thread.isAlive()) {
      return;
    }
    try {
      thread.join(settings.stopTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn(
          "{} did not stop within {} s; interrupting it", name, settings.stopTimeout().toSeconds());
      thread.interrupt();
    }
  }

  /** Consecutive failures: how many, since when, and the next backoff. */
  private static final class FailureRun {
    private final Duration min;
    private final Duration max;
    private volatile int count;
    private long startedNanos;

    FailureRun(Duration min, Duration max) {
      this.min = min;
      this.max = max;
    }

    Duration next() {
      if (count == 0) {
        startedNanos = System.nanoTime();
      }
      count++;
      long millis = min.toMillis() << Math.min(count - 1, 20);
      return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    int count() {
      return count;
    }

    long elapsedSeconds() {
      return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
    }

    void reset() {
      count = 0;
    }
  }
}
