package io.sluice.bench.intake;

import java.time.Duration;
import java.util.List;

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
 */
public record IntakeOptions(
    List<Integer> rates,
    Duration stepDuration,
    int warmUpRate,
    Duration warmUpDuration,
    Duration pause,
    int maxConnections,
    Duration requestTimeout,
    Instrumentation instrumentation) {

  public static final IntakeOptions DEFAULT =
      new IntakeOptions(
          List.of(250, 500, 1000, 1500, 2000, 2500, 3000),
          Duration.ofSeconds(30),
          500,
          Duration.ofSeconds(20),
          Duration.ofSeconds(5),
          1000,
          Duration.ofSeconds(10),
          Instrumentation.DEFAULT);

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
  }

  /** {@code 250,500,1000}: the steps' rates. */
  public IntakeOptions withRates(String list) {
    List<Integer> parsed =
        List.of(list.split(",")).stream().map(String::strip).map(Integer::valueOf).toList();
    return new IntakeOptions(
        parsed,
        stepDuration,
        warmUpRate,
        warmUpDuration,
        pause,
        maxConnections,
        requestTimeout,
        instrumentation);
  }

  public IntakeOptions withStepDuration(Duration value) {
    return new IntakeOptions(
        rates,
        value,
        warmUpRate,
        warmUpDuration,
        pause,
        maxConnections,
        requestTimeout,
        instrumentation);
  }

  public IntakeOptions withWarmUpRate(int value) {
    return new IntakeOptions(
        rates,
        stepDuration,
        value,
        warmUpDuration,
        pause,
        maxConnections,
        requestTimeout,
        instrumentation);
  }

  public IntakeOptions withWarmUp(Duration value) {
    return new IntakeOptions(
        rates,
        stepDuration,
        warmUpRate,
        value,
        pause,
        maxConnections,
        requestTimeout,
        instrumentation);
  }

  public IntakeOptions withPause(Duration value) {
    return new IntakeOptions(
        rates,
        stepDuration,
        warmUpRate,
        warmUpDuration,
        value,
        maxConnections,
        requestTimeout,
        instrumentation);
  }

  public IntakeOptions withMaxConnections(int value) {
    return new IntakeOptions(
        rates,
        stepDuration,
        warmUpRate,
        warmUpDuration,
        pause,
        value,
        requestTimeout,
        instrumentation);
  }

  public IntakeOptions withRequestTimeout(Duration value) {
    return new IntakeOptions(
        rates,
        stepDuration,
        warmUpRate,
        warmUpDuration,
        pause,
        maxConnections,
        value,
        instrumentation);
  }

  /** {@code default}, {@code off} or {@code traced}: see {@link Instrumentation}. */
  public IntakeOptions withInstrumentation(String value) {
    return new IntakeOptions(
        rates,
        stepDuration,
        warmUpRate,
        warmUpDuration,
        pause,
        maxConnections,
        requestTimeout,
        Instrumentation.parse(value));
  }
}
