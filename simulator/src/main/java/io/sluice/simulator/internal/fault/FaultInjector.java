package io.sluice.simulator.internal.fault;

import io.sluice.simulator.FaultSettings;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides each realtime call's fault: the {@code #sim} directive first (honouring {@code
 * fail-first} per identical request body), then an outage window, then the random shares.
 */
public final class FaultInjector {
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  private volatile FaultSettings settings;
  private Random random;
  private final Map<String, AtomicInteger> callsPerBody = new ConcurrentHashMap<>();

  public FaultInjector(FaultSettings settings) {
    update(settings);
  }

  /** Replaces the settings (and restarts the random sequence from their seed). */
  public synchronized void update(FaultSettings newSettings) {
    this.settings = newSettings;
    this.random = new Random(newSettings.seed());
  }

  public FaultSettings settings() {
    return settings;
  }

  /**
   * @param directive the call's {@code #sim} directive
   * @param body the raw request body ({@code fail-first} counts identical bodies)
   * @param now the simulator's time
   * @param overloadedStatus the status of an overload in this API
   */
  public Fault decide(SimDirective directive, byte[] body, Instant now, int overloadedStatus) {
    return decide(directive, body, now, overloadedStatus, null);
  }

  /**
   * As {@link #decide(SimDirective, byte[], Instant, int)} for a call of {@code api} ({@code
   * openai}, {@code anthropic}, {@code gemini}): a directive's {@code api=} and the outage's APIs
   * limit their faults to calls of those APIs.
   */
  public Fault decide(
      SimDirective directive, byte[] body, Instant now, int overloadedStatus, String api) {
    if (directive.hasFault()
        && (api == null || directive.appliesTo(api))
        && appliesThisTime(directive, body)) {
      return fromDirective(directive, now);
    }
    FaultSettings current = settings;
    if (current.inOutage(now, api)) {
      return Fault.error(current.outageStatus());
    }
    return random(current, overloadedStatus);
  }

  private boolean appliesThisTime(SimDirective directive, byte[] body) {
    if (directive.failFirst() == null) {
      return true;
    }
    int call =
        callsPerBody.computeIfAbsent(sha256(body), k -> new AtomicInteger()).incrementAndGet();
    return call <= directive.failFirst();
  }

  private static Fault fromDirective(SimDirective d, Instant now) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (d.retryAfterSeconds() != null) {
      headers.put("retry-after", Long.toString(d.retryAfterSeconds()));
    }
    if (d.retryAfterDateSeconds() != null) {
      headers.put("retry-after", httpDate(now.plusSeconds(d.retryAfterDateSeconds())));
    }
    if (d.retryAfterMs() != null) {
      headers.put("retry-after-ms", Long.toString(d.retryAfterMs()));
    }
    Duration hang = d.hangMs() == null ? Duration.ZERO : Duration.ofMillis(d.hangMs());
    return new Fault(
        d.errorStatus(), d.code(), headers, hang, d.malformed(), d.truncated(), d.reset());
  }

  private Fault random(FaultSettings s, int overloadedStatus) {
    double draw;
    synchronized (this) {
      draw = random.nextDouble();
    }
    double edge = s.serverErrorShare();
    if (draw < edge) {
      return Fault.error(500);
    }
    if (draw < (edge += s.overloadedShare())) {
      return Fault.error(overloadedStatus);
    }
    if (draw < (edge += s.hangShare())) {
      return Fault.hang(s.hangDuration());
    }
    if (draw < (edge += s.malformedShare())) {
      return new Fault(null, null, Map.of(), Duration.ZERO, true, false, false);
    }
    if (draw < (edge += s.truncatedShare())) {
      return new Fault(null, null, Map.of(), Duration.ZERO, false, true, false);
    }
    if (draw < edge + s.resetShare()) {
      return new Fault(null, null, Map.of(), Duration.ZERO, false, false, true);
    }
    return Fault.NONE;
  }

  /** An RFC 1123 HTTP date, as {@code retry-after} carries it. */
  public static String httpDate(Instant instant) {
    return HTTP_DATE.format(instant.atOffset(ZoneOffset.UTC));
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }
}
