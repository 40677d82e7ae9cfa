package io.sluice.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Random faults on realtime calls, drawn independently per call from a seeded random source, and an
 * optional outage window (by the injected clock) during which every realtime call fails.
 *
 * @param serverErrorShare share of calls answered 500 ({@code server_error} / {@code api_error})
 * @param overloadedShare share answered 503 (OpenAI) or 529 {@code overloaded_error} (Anthropic)
 * @param hangShare share of calls delayed by {@code hangDuration} before the answer
 * @param hangDuration how long a hang lasts (pick one past the client's timeout)
 * @param malformedShare share answered 200 with invalid JSON
 * @param truncatedShare share whose body is cut short (connection closed mid-body)
 * @param resetShare share whose connection is closed without a response
 * @param outageStart start of the outage window, or {@code null} for none
 * @param outageLength length of the outage window
 * @param outageStatus the status during the outage (503 or 529 are typical; 529 is sent as 503 by
 *     the OpenAI API)
 * @param seed seed of the random source, for reproducible runs
 * @param outageApis the APIs the outage hits ({@code openai}, {@code anthropic}, {@code gemini});
 *     empty: every API
 */
public record FaultSettings(
    double serverErrorShare,
    double overloadedShare,
    double hangShare,
    Duration hangDuration,
    double malformedShare,
    double truncatedShare,
    double resetShare,
    Instant outageStart,
    Duration outageLength,
    int outageStatus,
    long seed,
    Set<String> outageApis) {

  /** Faults whose outage, if any, hits every API. */
  public FaultSettings(
      double serverErrorShare,
      double overloadedShare,
      double hangShare,
      Duration hangDuration,
      double malformedShare,
      double truncatedShare,
      double resetShare,
      Instant outageStart,
      Duration outageLength,
      int outageStatus,
      long seed) {
    this(
        serverErrorShare,
        overloadedShare,
        hangShare,
        hangDuration,
        malformedShare,
        truncatedShare,
        resetShare,
        outageStart,
        outageLength,
        outageStatus,
        seed,
        Set.of());
  }

  /** No faults. */
  public static final FaultSettings NONE =
      new FaultSettings(0, 0, 0, Duration.ofSeconds(30), 0, 0, 0, null, Duration.ZERO, 503, 42);

  public FaultSettings {
    outageApis = outageApis == null ? Set.of() : Set.copyOf(outageApis);
    double total =
        share("serverErrorShare", serverErrorShare)
            + share("overloadedShare", overloadedShare)
            + share("hangShare", hangShare)
            + share("malformedShare", malformedShare)
            + share("truncatedShare", truncatedShare)
            + share("resetShare", resetShare);
    if (total > 1.0 + 1e-9) {
      throw new IllegalArgumentException("fault shares add up to more than 1: " + total);
    }
    if (hangDuration == null || hangDuration.isNegative()) {
      throw new IllegalArgumentException("hangDuration must be zero or positive");
    }
    if (outageLength == null || outageLength.isNegative()) {
      throw new IllegalArgumentException("outageLength must be zero or positive");
    }
    if (outageStatus < 400 || outageStatus > 599) {
      throw new IllegalArgumentException("outageStatus must be an HTTP error status");
    }
  }

  private static double share(String name, double value) {
    if (value < 0 || value > 1 || Double.isNaN(value)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1: " + value);
    }
    return value;
  }

  /** Whether {@code now} falls in the outage window. */
  public boolean inOutage(Instant now) {
    return outageStart != null
        && !now.isBefore(outageStart)
        && now.isBefore(outageStart.plus(outageLength));
  }

  public FaultSettings withServerErrorShare(double share) {
    return new FaultSettings(
        share,
        overloadedShare,
        hangShare,
        hangDuration,
        malformedShare,
        truncatedShare,
        resetShare,
        outageStart,
        outageLength,
        outageStatus,
        seed,
        outageApis);
  }

  public FaultSettings withOverloadedShare(double share) {
    return new FaultSettings(
        serverErrorShare,
        share,
        hangShare,
        hangDuration,
        malformedShare,
        truncatedShare,
        resetShare,
        outageStart,
        outageLength,
        outageStatus,
        seed,
        outageApis);
  }

  public FaultSettings withHang(double share, Duration duration) {
    return new FaultSettings(
        serverErrorShare,
        overloadedShare,
        share,
        duration,
        malformedShare,
        truncatedShare,
        resetShare,
        outageStart,
        outageLength,
        outageStatus,
        seed,
        outageApis);
  }

  public FaultSettings withMalformedShare(double share) {
    return new FaultSettings(
        serverErrorShare,
        overloadedShare,
        hangShare,
        hangDuration,
        share,
        truncatedShare,
        resetShare,
        outageStart,
        outageLength,
        outageStatus,
        seed,
        outageApis);
  }

  public FaultSettings withTruncatedShare(double share) {
    return new FaultSettings(
        serverErrorShare,
        overloadedShare,
        hangShare,
        hangDuration,
        malformedShare,
        share,
        resetShare,
        outageStart,
        outageLength,
        outageStatus,
        seed,
        outageApis);
  }

  public FaultSettings withResetShare(double share) {
    return new FaultSettings(
        serverErrorShare,
        overloadedShare,
        hangShare,
        hangDuration,
        malformedShare,
        truncatedShare,
        share,
        outageStart,
        outageLength,
        outageStatus,
        seed,
        outageApis);
  }

  /** An outage from {@code start} for {@code length}, answering {@code status}. */
  public FaultSettings withOutage(Instant start, Duration length, int status) {
    return new FaultSettings(
        serverErrorShare,
        overloadedShare,
        hangShare,
        hangDuration,
        malformedShare,
        truncatedShare,
        resetShare,
        start,
        length,
        status,
        seed,
        outageApis);
  }

  /**
   * The outage hits only calls of these APIs ({@code openai}, {@code anthropic}, {@code gemini});
   * none: every API.
   */
  public FaultSettings withOutageApis(String... apis) {
    return new FaultSettings(
        serverErrorShare,
        overloadedShare,
        hangShare,
        hangDuration,
        malformedShare,
        truncatedShare,
        resetShare,
        outageStart,
        outageLength,
        outageStatus,
        seed,
        Set.of(apis));
  }

  /** Whether {@code now} falls in the outage window and the outage hits {@code api}. */
  public boolean inOutage(Instant now, String api) {
    return inOutage(now) && (outageApis.isEmpty() || api == null || outageApis.contains(api));
  }

  public FaultSettings withSeed(long newSeed) {
    return new FaultSettings(
        serverErrorShare,
        overloadedShare,
        hangShare,
        hangDuration,
        malformedShare,
        truncatedShare,
        resetShare,
        outageStart,
        outageLength,
        outageStatus,
        newSeed,
        outageApis);
  }
}
