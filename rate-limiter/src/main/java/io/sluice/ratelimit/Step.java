package io.sluice.ratelimit;

import java.util.Objects;

/**
 * The result of one pure transition: the next state and what the caller learns from it.
 *
 * @param next the state to store
 * @param result the answer (may be {@code null} for transitions without one)
 * @param <T> the answer's type
 */
public record Step<T>(LimitState next, T result) {
  public Step {
    Objects.requireNonNull(next, "next");
  }

  /** A transition without an answer. */
  public static Step<Void> of(LimitState next) {
    return new Step<>(next, null);
  }
}
