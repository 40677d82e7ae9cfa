package io.sluice.egress;

import io.sluice.egress.EgressResponse.Outcome;
import io.sluice.egress.internal.Exchange;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.net.ssl.SSLSocketFactory;

/**
 * POSTs to tenant-named URLs. Every post checks the URL with the {@link EgressGuard} again,
 * resolving its host name exactly once, and connects only to an address that check admitted: a DNS
 * answer that changes after the check (rebinding) cannot redirect the connection. No proxy, no
 * redirects, TLS verified against the URL's host name; {@code connectTimeout} bounds each connect
 * and {@code requestTimeout} the whole exchange. Nothing about a request or response is logged.
 * Thread-safe; close it to stop its timeout thread.
 */
public final class EgressClient implements AutoCloseable {
  private final EgressGuard guard;
  private final Exchange exchange;
  private final ScheduledThreadPoolExecutor watchdog;

  public EgressClient(EgressGuard guard, Duration connectTimeout, Duration requestTimeout) {
    this(guard, connectTimeout, requestTimeout, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /** With the given TLS trust, for tests that receive on a self-signed certificate. */
  EgressClient(
      EgressGuard guard, Duration connectTimeout, Duration requestTimeout, SSLSocketFactory tls) {
    if (guard == null || tls == null) {
      throw new IllegalArgumentException("egress guard and TLS socket factory are required");
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("requestTimeout", requestTimeout);
    this.guard = guard;
    this.watchdog = new ScheduledThreadPoolExecutor(1, EgressClient::watchdogThread);
    this.watchdog.setRemoveOnCancelPolicy(true);
    this.exchange = new Exchange(tls, watchdog, connectTimeout, requestTimeout);
  }

  /**
   * POSTs {@code body} with {@code headers} (Host, Content-Length and Connection are set here).
   * Never throws for a remote problem: a refused destination, a failed connection, a timeout or a
   * bad response is an {@link EgressResponse} outcome.
   *
   * @throws IllegalArgumentException for a header this client sets itself or one that would inject
   *     a line (the message names the header, never its value)
   * @throws IllegalStateException after {@link #close()}
   */
  public EgressResponse post(URI url, Map<String, String> headers, byte[] body) {
    if (headers == null || body == null) {
      throw new IllegalArgumentException("headers and body are required (may be empty)");
    }
    if (watchdog.isShutdown()) {
      throw new IllegalStateException("the egress client is closed");
    }
    long start = System.nanoTime();
    EgressGuard.Verdict verdict;
    try {
      verdict = guard.decide(url);
    } catch (RuntimeException e) {
      return EgressResponse.failed(
          Outcome.CONNECT_FAILED, since(start), "the host name lookup failed");
    }
    return switch (verdict) {
      case EgressGuard.Verdict.Rejected rejected ->
          EgressResponse.failed(Outcome.REFUSED_DESTINATION, since(start), rejected.reason());
      case EgressGuard.Verdict.Unresolved unresolved ->
          EgressResponse.failed(Outcome.CONNECT_FAILED, since(start), unresolved.reason());
      case EgressGuard.Verdict.Admitted admitted ->
          exchange.post(
              admitted.destination(),
              admitted.addresses(),
              Exchange.requestHead(admitted.destination(), headers, body.length),
              body,
              start);
    };
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }

  private static Thread watchdogThread(Runnable task) {
    Thread thread = new Thread(task, "egress-timeout");
    thread.setDaemon(true);
    return thread;
  }

  private static void requirePositive(String name, Duration duration) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("egress " + name + " must be positive");
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
