package io.sluice.observability;

/** One thing a component needs to be live or ready: a server that answers, a loop that runs. */
@FunctionalInterface
public interface HealthCheck {
  /** Answers quickly (a cached probe result or a flag), without blocking on the network. */
  Health check();
}
