package io.sluice.simulator;

/**
 * What the simulator accepted and refused, per API, model and minute (by the injected clock): the
 * ground truth for rate-limit benchmarks. Counting is lock-free and cheap.
 */
public interface Meter {
  /** A consistent-enough copy of all counters (each row is read atomically per counter). */
  MeterSnapshot snapshot();

  /** Sets every counter back to zero. */
  void reset();
}
