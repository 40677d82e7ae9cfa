package io.sluice.bench.measure;

import io.sluice.simulator.MeterRow;
import io.sluice.simulator.Simulator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples the simulator's meter for one model every second (and on demand). */
public final class MeterSampler implements AutoCloseable {
  private final Simulator simulator;
  private final String model;
  private volatile long startNanos;
  private volatile Instant startedAt = Instant.now();
  private final List<Sample> samples = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("meter").unstarted(r));

  public MeterSampler(Simulator simulator, String model) {
    this.simulator = simulator;
    this.model = model;
    this.startNanos = System.nanoTime();
  }

  /** Restarts the run's time at zero, takes a sample now and then one every second. */
  public MeterSampler start() {
    startNanos = System.nanoTime();
    startedAt = Instant.now();
    sample();
    timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  /** Takes a sample now and returns it. */
  public synchronized Sample sample() {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    MeterRow row = simulator.meter().snapshot().total(model);
    Sample sample =
        new Sample(
            seconds,
            row.requests(),
            row.inputTokens(),
            row.outputTokens(),
            row.rateLimited(),
            row.errors(),
            row.maxTokens(),
            row.chargedTokens());
    samples.add(sample);
    return sample;
  }

  /** The wall-clock instant of the run's time zero (the simulator's windows follow the clock). */
  public Instant startedAt() {
    return startedAt;
  }

  /** Seconds since the sampler was created. */
  public double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Every sample so far, in time order. */
  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
