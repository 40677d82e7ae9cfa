package io.sluice.bench.baseline;

import io.sluice.bench.backlog.BacklogProducer;
import io.sluice.bench.backlog.BacklogShape;
import io.sluice.bench.backlog.TaskShape;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The usual client without a rate limiter: a fixed number of virtual threads, each taking the next
 * task and calling the provider; on a 429 or another retriable error it waits {@code min(cap,
 * initial × 2^(n-1))} times a random factor in [0.5, 1] and tries again (the provider's retry hint
 * is not used). It never gives a task up while the run lasts.
 */
public final class NaiveClient {
  private final Provider provider;
  private final BacklogShape shape;
  private final String model;
  private final int concurrency;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private volatile boolean running = true;

  public NaiveClient(
      Provider provider,
      BacklogShape shape,
      String model,
      int concurrency,
      Duration initialBackoff,
      Duration maxBackoff) {
    this.provider = provider;
    this.shape = shape;
    this.model = model;
    this.concurrency = concurrency;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** Starts the threads; they run until {@link #stop()}. */
  public List<Thread> start() {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      threads.add(Thread.ofVirtual().name("naive-" + i).start(this::loop));
    }
    return threads;
  }

  public void stop(List<Thread> threads) throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.interrupt();
    }
    for (Thread thread : threads) {
      thread.join(10_000);
    }
  }

  private void loop() {
    Instant now = Instant.now();
    while (running) {
      TaskShape task = shape.task(next.getAndIncrement());
      Task call = BacklogProducer.task(task, provider.name(), model, "naive", now);
      switch (callUntilDone(call)) {
        case SUCCEEDED -> succeeded.incrementAndGet();
        case FAILED -> failed.incrementAndGet();
        case STOPPED -> {
          return;
        }
      }
    }
  }

  private enum Outcome {
    SUCCEEDED,
    FAILED,
    STOPPED
  }

  private Outcome callUntilDone(Task task) {
    for (int attempt = 1; running; attempt++) {
      try {
        provider.complete(task.request());
        return Outcome.SUCCEEDED;
      } catch (ProviderException e) {
        if (e.isRateLimited()) {
          rateLimited.incrementAndGet();
        } else if (!e.isRetriable()) {
          return Outcome.FAILED;
        }
        if (!sleep(backoff(attempt))) {
          return Outcome.STOPPED;
        }
      }
    }
    return Outcome.STOPPED;
  }

  Duration backoff(int attempt) {
    long initial = initialBackoff.toMillis();
    long capped = Math.min(maxBackoff.toMillis(), initial << Math.min(attempt - 1, 20));
    return Duration.ofMillis((long) (capped * ThreadLocalRandom.current().nextDouble(0.5, 1.0)));
  }

  private static boolean sleep(Duration duration) {
    try {
      Thread.sleep(duration);
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  public long succeeded() {
    return succeeded.get();
  }

  public long failed() {
    return failed.get();
  }

  /** 429s the client saw (the meter's count is the ground truth). */
  public long rateLimited() {
    return rateLimited.get();
  }
}
