package io.sluice.simulator.internal.ratelimit;

import io.sluice.simulator.Enforcement;
import java.time.Duration;
import java.time.Instant;

/**
 * One enforced limit of a model (requests, tokens, input or output tokens): its {@link Allowance}
 * as the profile's {@link Enforcement} shapes it, plus the other client's use of it. Mutable; used
 * under its limiter's lock.
 */
final class Limit {
  private Allowance allowance;
  private final OtherClient other;

  Limit(String name, long perMinute, Enforcement enforcement, Instant now) {
    this.allowance = Allowance.of(enforcement, perMinute, now);
    this.other =
        new OtherClient(enforcement.otherClientShare(), enforcement.seed(), name, perMinute, now);
  }

  /** Brings the limit to {@code now}. */
  void advance(Instant now) {
    allowance = other.advance(allowance, now);
  }

  boolean admits(long amount) {
    return allowance.admits(amount);
  }

  void take(long amount) {
    allowance = allowance.take(amount);
  }

  /** Takes what a refused call is charged (at most a window's capacity of debt). */
  void charge(long amount) {
    allowance = allowance.drain(amount);
  }

  void giveBack(long amount) {
    allowance = allowance.giveBack(amount);
  }

  long available() {
    return allowance.available();
  }

  long capacity() {
    return allowance.capacity();
  }

  long perMinute() {
    return allowance.perMinute();
  }

  Duration waitFor(long amount) {
    return amount > allowance.perMinute() ? allowance.untilFull() : allowance.waitFor(amount);
  }

  Duration untilFull() {
    return allowance.untilFull();
  }

  /** The share of the capacity left, for choosing the tighter of two limits. */
  double fractionLeft() {
    return (double) allowance.available() / allowance.capacity();
  }
}
