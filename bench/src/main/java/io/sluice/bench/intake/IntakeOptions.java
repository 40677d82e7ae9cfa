package io.sluice.bench.intake;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The settings of the {@code intake} scenario.
 *
 * @param rates the steps' offered rates in jobs/s, run in this order
 * @param stepDuration how long each step offers requests
 * @param warmUpRate the warm-up's rate
 * @param warmUpDuration the warm-up's length (0: none)
 * @param pause the idle time after each step's responses are in, before the next step
 * @param maxConnections the most keep-alive connections the generator opens
 * @param requestTimeout a request unanswered this long is counted as timed out
 * @param instrumentation what the child {@code sluice local} records about itself
 * @param drain after the warm-up and each step, wait up to this long until every job is terminal,
 *     and report the step's end-to-end figures from its start to that point (0: do not wait)
 * @param profile the simulator profile {@code sluice local} runs ({@code unlimited}: processing as
 *     fast as the machine allows; a tier profile: processing paced by the provider's limits)
 */
public record IntakeOptions(
    List<Integer> rates,
    Duration stepDuration,
    int warmUpRate,
    Duration warmUpDuration,
    Duration pause,
    int maxConnections,
    Duration requestTimeout,
    Instrumentation instrumentation,
    Duration drain,
    String profile) {

  public static final IntakeOptions DEFAULT =
      new IntakeOptions(
          List.of(250, 500, 1000, 1500, 2000, 2500, 3000),
          Duration.ofSeconds(30),
          500,
          Duration.ofSeconds(20),
          Duration.ofSeconds(5),
          1000,
          Duration.ofSeconds(10),
          Instrumentation.DEFAULT,
          Duration.ZERO,
          "unlimited");

  public IntakeOptions {
    rates = List.copyOf(rates);
    if (rates.isEmpty() || rates.stream().anyMatch(rate -> rate < 1)) {
      throw new IllegalArgumentException("--rates must be positive jobs/s, got " + rates);
    }
    if (!stepDuration.isPositive()) {
      throw new IllegalArgumentException("--step-duration must be positive, got " + stepDuration);
    }
    if (warmUpRate < 1) {
      throw new IllegalArgumentException("--warm-up-rate must be at least 1, got " + warmUpRate);
    }
    if (warmUpDuration.isNegative()) {
      throw new IllegalArgumentException("--warm-up must not be negative, got " + warmUpDuration);
    }
    if (pause.isNegative()) {
      throw new IllegalArgumentException("--pause must not be negative, got " + pause);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "--max-connections must be at least 1, got " + maxConnections);
    }
    if (!requestTimeout.isPositive()) {
      throw new IllegalArgumentException(
          "--request-timeout must be positive, got " + requestTimeout);
    }
    if (drain.isNegative()) {
      throw new IllegalArgumentException("--drain must not be negative, got " + drain);
    }
    if (profile == null || profile.isBlank()) {
      throw new IllegalArgumentException("--profile must name a simulator profile");
    }
  }

  /** Whether each step is followed by waiting for every job to end. */
  public boolean drains() {
    return drain.isPositive();
  }

  /** {@code 250,500,1000}: the steps' rates. */
  public IntakeOptions withRates(String list) {
    List<Integer> parsed =
        List.of(list.split(",")).stream().map(String::strip).map(Integer::valueOf).toList();
    return edit(b -> b.rates = parsed);
  }

  public IntakeOptions withStepDuration(Duration value) {
    return edit(b -> b.stepDuration = value);
  }

  public IntakeOptions withWarmUpRate(int value) {
    return edit(b -> b.warmUpRate = value);
  }

  public IntakeOptions withWarmUp(Duration value) {
    return edit(b -> b.warmUpDuration = value);
  }

  public IntakeOptions withPause(Duration value) {
    return edit(b -> b.pause = value);
  }

  public IntakeOptions withMaxConnections(int value) {
    return edit(b -> b.maxConnections = value);
  }

  public IntakeOptions withRequestTimeout(Duration value) {
    return edit(b -> b.requestTimeout = value);
  }

  /** {@code default}, {@code off} or {@code traced}: see {@link Instrumentation}. */
  public IntakeOptions withInstrumentation(String value) {
    return edit(b -> b.instrumentation = Instrumentation.parse(value));
  }

  public IntakeOptions withDrain(Duration value) {
    return edit(b -> b.drain = value);
  }

  public IntakeOptions withProfile(String value) {
    return edit(b -> b.profile = value);
  }

  /** A copy with one setting changed (and checked again). */
  private IntakeOptions edit(Consumer<Editable> change) {
    Editable b = new Editable(this);
    change.accept(b);
    return new IntakeOptions(
        b.rates,
        b.stepDuration,
        b.warmUpRate,
        b.warmUpDuration,
        b.pause,
        b.maxConnections,
        b.requestTimeout,
        b.instrumentation,
        b.drain,
        b.profile);
  }

  /** The settings as fields, for {@link #edit}. */
  private static final class Editable {
    List<Integer> rates;
    Duration stepDuration;
    int warmUpRate;
    Duration warmUpDuration;
    Duration pause;
    int maxConnections;
    Duration requestTimeout;
    Instrumentation instrumentation;
    Duration drain;
    String profile;

    Editable(IntakeOptions o) {
      rates = o.rates;
      stepDuration = o.stepDuration;
      warmUpRate = o.warmUpRate;
      warmUpDuration = o.warmUpDuration;
      pause = o.pause;
      maxConnections = o.maxConnections;
      requestTimeout = o.requestTimeout;
      instrumentation = o.instrumentation;
      drain = o.drain;
      profile = o.profile;
    }
  }
}
