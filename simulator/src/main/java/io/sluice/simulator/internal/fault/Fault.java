package io.sluice.simulator.internal.fault;

import java.time.Duration;
import java.util.Map;

/**
 * The fault one call gets, from its {@code #sim} line, the random shares or an outage.
 *
 * @param errorStatus answer with this status instead ({@code null}: no error)
 * @param code the error code/type for {@code errorStatus}, or {@code null} for the default
 * @param extraHeaders retry hints to add
 * @param hang extra delay before the answer
 * @param malformed answer 200 with invalid JSON
 * @param truncated cut the body short
 * @param reset close the connection without a response
 */
public record Fault(
    Integer errorStatus,
    String code,
    Map<String, String> extraHeaders,
    Duration hang,
    boolean malformed,
    boolean truncated,
    boolean reset) {

  public static final Fault NONE =
      new Fault(null, null, Map.of(), Duration.ZERO, false, false, false);

  public static Fault error(int status) {
    return new Fault(status, null, Map.of(), Duration.ZERO, false, false, false);
  }

  public static Fault hang(Duration duration) {
    return new Fault(null, null, Map.of(), duration, false, false, false);
  }

  public boolean isError() {
    return errorStatus != null;
  }
}
