package io.sluice.egress;

import io.sluice.egress.EgressResponse.Outcome;
import io.sluice.egress.internal.Exchange;
import io.sluice.egress.internal.IdleConnections;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * POSTs to tenant-named URLs. Every post checks the URL with the {@link EgressGuard} again,
 * resolving its host name exactly once, and connects only to an address that check admitted: a DNS
 * answer that changes after the check (rebinding) cannot redirect the connection. No proxy, no
 * redirects, TLS verified against the URL's host name; {@code connectTimeout} bounds each connect
 * and {@code requestTimeout} the whole exchange. Nothing about a request or response is logged.
 *
 * <p>Connections are kept alive between posts ({@link KeepAlive}), keyed by scheme, host, port and
 * the address connected to: a post reuses one only if its own check admitted that address. A kept
 * connection that the server closed while it was idle is noticed when a post on it fails before any
 * byte of the response: that post is sent once more, on a new connection (the only case where this
 * client sends a POST twice; a webhook delivery carries the same {@code webhook-id} both times).
 *
 * <p>Thread-safe; close it to stop its timeout thread and close the kept connections.
 */
public final class EgressClient implements AutoCloseable {
  /** How often connections idle past their timeout are closed. */
  private static final Duration SWEEP = Duration.ofSeconds(1);

  private final EgressGuard guard;
  private final KeepAlive keepAlive;
  private final IdleConnections idle;
  private final Exchange exchange;
  private final ScheduledThreadPoolExecutor watchdog;

  /**
   * How connections are kept open between posts.
   *
   * @param idleTimeout how long an unused connection is kept
   * @param perDestination the most kept for one destination (scheme, host, port and address)
   * @param total the most kept in all
   */
  public record KeepAlive(Duration idleTimeout, int perDestination, int total) {
    /** 30 s, 8 per destination (more than a webhook sender's sends at once to one endpoint), 64. */
    public static final KeepAlive DEFAULT = new KeepAlive(Duration.ofSeconds(30), 8, 64);

    /** A new connection for every post, with {@code Connection: close}. */
    public static final KeepAlive NONE = new KeepAlive(Duration.ZERO, 0, 0);

    public KeepAlive {
      if (idleTimeout == null || idleTimeout.isNegative() || perDestination < 0 || total < 0) {
        throw new IllegalArgumentException(
            "egress keep-alive needs an idle timeout and bounds of zero or more");
      }
    }

    boolean enabled() {
      return idleTimeout.isPositive() && perDestination > 0 && total > 0;
    }
  }

  /** With {@link KeepAlive#DEFAULT}. */
  public EgressClient(EgressGuard guard, Duration connectTimeout, Duration requestTimeout) {
    this(guard, connectTimeout, requestTimeout, KeepAlive.DEFAULT);
  }

  public EgressClient(
      EgressGuard guard, Duration connectTimeout, Duration requestTimeout, KeepAlive keepAlive) {
    this(
        guard,
        connectTimeout,
        requestTimeout,
        (SSLSocketFactory) SSLSocketFactory.getDefault(),
        keepAlive,
        System::nanoTime);
  }

  /** With the given TLS trust, for tests that receive on a self-signed certificate. */
  EgressClient(
      EgressGuard guard, Duration connectTimeout, Duration requestTimeout, SSLSocketFactory tls) {
    this(guard, connectTimeout, requestTimeout, tls, KeepAlive.DEFAULT, System::nanoTime);
  }

  /** With the given TLS trust and the clock that ages idle connections, for tests. */
  EgressClient(
      EgressGuard guard,
      Duration connectTimeout,
      Duration requestTimeout,
      SSLSocketFactory tls,
      KeepAlive keepAlive,
      LongSupplier nanoTime) {
    if (guard == null || tls == null || keepAlive == null || nanoTime == null) {
      throw new IllegalArgumentException(
          "egress guard, TLS socket factory, keep-alive and clock are required");
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("requestTimeout", requestTimeout);
    this.guard = guard;
    this.keepAlive = keepAlive;
    this.watchdog = new ScheduledThreadPoolExecutor(1, EgressClient::watchdogThread);
    this.watchdog.setRemoveOnCancelPolicy(true);
    this.idle =
        new IdleConnections(
            keepAlive.idleTimeout(), keepAlive.perDestination(), keepAlive.total(), nanoTime);
    if (keepAlive.enabled()) {
      watchdog.scheduleWithFixedDelay(
          idle::closeExpired, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }
    this.exchange = new Exchange(tls, watchdog, idle, connectTimeout, requestTimeout);
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
              Exchange.requestHead(
                  admitted.destination(), headers, body.length, keepAlive.enabled()),
              body,
              start);
    };
  }

  /** Connections kept open now, waiting for the next post. */
  int idleConnections() {
    return idle.size();
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    idle.close();
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
