package io.sluice.egress.internal;

import io.sluice.egress.EgressResponse;
import io.sluice.egress.EgressResponse.Outcome;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST over a socket connected to an address that was already checked: no DNS lookup
 * here, no proxy, no redirect, TLS verified against the URL's host name. The whole exchange is
 * bounded by the request timeout: reads by a shrinking socket timeout, writes by a watchdog that
 * closes the socket at the deadline.
 *
 * <p>Connections are kept alive between posts ({@link IdleConnections}), but only for a post to the
 * same scheme, host and port whose own check admitted the address the connection goes to. A kept
 * connection may have been closed by the server meanwhile (its idle timeout); when a post on one
 * fails before a single byte of the response arrived, it is sent once more on a new connection.
 * That is the one case where a POST is sent twice: the server closed without answering, which a
 * server does to an idle connection, not after taking a request in. (A receiver that took it in and
 * then closed gets the delivery twice with the same {@code webhook-id}, its idempotency key.)
 */
public final class Exchange {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> OWN_HEADERS =
      Set.of("host", "content-length", "connection", "transfer-encoding", "expect", "upgrade");
  private static final int WRITE_BUFFER = 16 * 1024;
  private static final int MAX_ERROR = 200;

  private final SSLSocketFactory tls;
  private final ScheduledExecutorService watchdog;
  private final IdleConnections idle;
  private final Duration connectTimeout;
  private final Duration requestTimeout;

  public Exchange(
      SSLSocketFactory tls,
      ScheduledExecutorService watchdog,
      IdleConnections idle,
      Duration connectTimeout,
      Duration requestTimeout) {
    this.tls = tls;
    this.watchdog = watchdog;
    this.idle = idle;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
  }

  /**
   * The bytes of the request head; rejects headers that Sluice sets itself or that could inject
   * lines. Without {@code keepAlive} it asks the server to close the connection after answering.
   *
   * @throws IllegalArgumentException naming the header (never its value)
   */
  public static byte[] requestHead(
      Destination destination, Map<String, String> headers, int contentLength, boolean keepAlive) {
    StringBuilder head = new StringBuilder();
    head.append("POST ").append(destination.requestTarget()).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(destination.hostHeader()).append("\r\n");
    headers.forEach(
        (name, value) -> {
          if (name == null || !TOKEN.matcher(name).matches()) {
            throw new IllegalArgumentException("an outbound header name is not an HTTP token");
          }
          if (OWN_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("header " + name + " is set by the egress client");
          }
          if (value == null || !value.chars().allMatch(c -> c == '\t' || (c >= ' ' && c != 127))) {
            throw new IllegalArgumentException("the value of header " + name + " is not allowed");
          }
          head.append(name).append(": ").append(value).append("\r\n");
        });
    head.append("Content-Length: ").append(contentLength).append("\r\n");
    head.append(keepAlive ? "\r\n" : "Connection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * POSTs {@code requestHead} and {@code body} to one of {@code addresses}: on a kept connection to
   * one of them if there is one, else (or when the kept one turns out closed) on a new one.
   */
  public EgressResponse post(
      Destination destination,
      List<InetAddress> addresses,
      byte[] requestHead,
      byte[] body,
      long startNanos) {
    long deadline = startNanos + requestTimeout.toNanos();
    Optional<Connection> kept = idle.take(destination, addresses);
    if (kept.isPresent()) {
      Optional<EgressResponse> response =
          exchange(kept.get(), destination, requestHead, body, startNanos, deadline);
      if (response.isPresent()) {
        return response.get();
      }
      // The server had closed the kept connection before answering: once more on a new one.
    }
    Connection connection;
    try {
      connection = connect(destination, addresses, deadline);
    } catch (IOException e) {
      return failure(Outcome.CONNECT_FAILED, startNanos, connectError(e));
    }
    return exchange(connection, destination, requestHead, body, startNanos, deadline)
        .orElseThrow(() -> new IllegalStateException("a new connection cannot be stale"));
  }

  /**
   * One request and its response on {@code connection}, which then goes back to the idle pool if
   * the response allows it and was read to its end in time, and is closed otherwise. Empty when a
   * reused connection failed before any byte of the response arrived (closed by the server while
   * idle, "stale"), so that the caller may send once more on a new connection.
   */
  private Optional<EgressResponse> exchange(
      Connection connection,
      Destination destination,
      byte[] requestHead,
      byte[] body,
      long startNanos,
      long deadline) {
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> alarm = arm(connection, expired, deadline);
    DeadlineInputStream received = null;
    boolean reusable = false;
    try {
      if (connection.needsHandshake()) {
        connection.secured(handshake(connection.socket(), destination, deadline));
      }
      Socket channel = connection.channel();
      OutputStream out = new BufferedOutputStream(channel.getOutputStream(), WRITE_BUFFER);
      out.write(requestHead);
      out.write(body);
      out.flush();
      received = new DeadlineInputStream(channel, channel.getInputStream(), deadline);
      InputStream in = new BufferedInputStream(received);
      ResponseHead head = ResponseHead.read(in);
      Duration latency = since(startNanos);
      boolean bodyRead = BodyDiscard.discard(in, head);
      reusable = head.allowsReuse() && bodyRead && nothingMoreSent(in);
      return Optional.of(
          new EgressResponse(Outcome.RESPONDED, head.status(), head.retryAfter(), latency, ""));
    } catch (IOException e) {
      boolean timedOut =
          e instanceof SocketTimeoutException || expired.get() || remaining(deadline) <= 0;
      boolean nothingReceived = received == null || !received.receivedAny();
      if (connection.reused() && nothingReceived && !timedOut) {
        return Optional.empty();
      }
      return Optional.of(failure(startNanos, e, timedOut));
    } finally {
      boolean alarmStopped = alarm.cancel(false);
      if (reusable && alarmStopped) {
        idle.give(connection);
      } else {
        connection.close();
      }
    }
  }

  /** Closes the connection at the deadline, which ends a blocked read or write. */
  private ScheduledFuture<?> arm(Connection connection, AtomicBoolean expired, long deadline) {
    try {
      return watchdog.schedule(
          () -> expire(connection.socket(), expired), remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      connection.close();
      throw new IllegalStateException("the egress client is closed", e);
    }
  }

  /** True when the server sent nothing after the response: it waits for the next request. */
  private static boolean nothingMoreSent(InputStream in) {
    try {
      return in.available() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private Connection connect(Destination destination, List<InetAddress> addresses, long deadline)
      throws IOException {
    IOException last = new SocketTimeoutException("the request timeout elapsed before connecting");
    for (InetAddress address : addresses) {
      if (remaining(deadline) <= 0) {
        break;
      }
      Socket socket = new Socket(Proxy.NO_PROXY);
      try {
        int timeout =
            (int)
                Math.min(connectTimeout.toMillis(), DeadlineInputStream.remainingMillis(deadline));
        socket.connect(new InetSocketAddress(address, destination.port()), timeout);
        socket.setTcpNoDelay(true);
        return new Connection(Connection.Route.of(destination, address), socket);
      } catch (IOException e) {
        socket.close();
        last = e;
      }
    }
    throw last;
  }

  private Socket handshake(Socket socket, Destination destination, long deadline)
      throws IOException {
    SSLSocket ssl =
        (SSLSocket) tls.createSocket(socket, destination.host(), destination.port(), true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setServerNames(serverNames(destination));
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout(DeadlineInputStream.remainingMillis(deadline));
    ssl.startHandshake();
    return ssl;
  }

  private static List<javax.net.ssl.SNIServerName> serverNames(Destination destination) {
    if (destination.literal().isPresent()) {
      return List.of();
    }
    try {
      return List.of(new SNIHostName(destination.host()));
    } catch (IllegalArgumentException e) {
      return List.of();
    }
  }

  private static void expire(Socket socket, AtomicBoolean expired) {
    expired.set(true);
    try {
      socket.close();
    } catch (IOException e) {
      // Closing is how the watchdog interrupts a blocked write; nothing more to do.
    }
  }

  private EgressResponse failure(long startNanos, IOException e, boolean pastDeadline) {
    if (e instanceof SocketTimeoutException || pastDeadline) {
      return failure(
          Outcome.TIMED_OUT, startNanos, "no response within " + requestTimeout.toMillis() + " ms");
    }
    if (e instanceof SSLException) {
      return failure(Outcome.FAILED, startNanos, "TLS handshake failed: " + message(e));
    }
    if (e instanceof ResponseHead.Malformed) {
      return failure(
          Outcome.FAILED, startNanos, "the response is not valid HTTP/1.1: " + message(e));
    }
    return failure(Outcome.FAILED, startNanos, "the connection failed: " + message(e));
  }

  private String connectError(IOException e) {
    if (e instanceof SocketTimeoutException) {
      return "connecting timed out";
    }
    if (e instanceof ConnectException) {
      return "the connection was refused";
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to the host";
    }
    return "could not connect: " + message(e);
  }

  private static EgressResponse failure(Outcome outcome, long startNanos, String error) {
    return new EgressResponse(outcome, 0, Optional.empty(), since(startNanos), error);
  }

  private static String message(IOException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String line = message.lines().findFirst().orElse("").strip();
    return line.length() <= MAX_ERROR ? line : line.substring(0, MAX_ERROR) + "…";
  }

  private static long remaining(long deadline) {
    return deadline - System.nanoTime();
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}
