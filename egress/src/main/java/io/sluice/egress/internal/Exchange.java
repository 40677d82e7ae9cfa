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
 */
public final class Exchange {
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Set<String> OWN_HEADERS =
      Set.of("host", "content-length", "connection", "transfer-encoding", "expect", "upgrade");
  private static final int WRITE_BUFFER = 16 * 1024;
  private static final int MAX_ERROR = 200;

  private final SSLSocketFactory tls;
  private final ScheduledExecutorService watchdog;
  private final Duration connectTimeout;
  private final Duration requestTimeout;

  public Exchange(
      SSLSocketFactory tls,
      ScheduledExecutorService watchdog,
      Duration connectTimeout,
      Duration requestTimeout) {
    this.tls = tls;
    this.watchdog = watchdog;
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
  }

  /**
   * The bytes of the request head; rejects headers that Sluice sets itself or that could inject
   * lines.
   *
   * @throws IllegalArgumentException naming the header (never its value)
   */
  public static byte[] requestHead(
      Destination destination, Map<String, String> headers, int contentLength) {
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
    head.append("Connection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** POSTs {@code requestHead} and {@code body} to one of {@code addresses}. */
  public EgressResponse post(
      Destination destination,
      List<InetAddress> addresses,
      byte[] requestHead,
      byte[] body,
      long startNanos) {
    long deadline = startNanos + requestTimeout.toNanos();
    Socket socket;
    try {
      socket = connect(addresses, destination.port(), deadline);
    } catch (IOException e) {
      return failure(Outcome.CONNECT_FAILED, startNanos, connectError(e));
    }
    AtomicBoolean expired = new AtomicBoolean();
    ScheduledFuture<?> alarm;
    try {
      alarm =
          watchdog.schedule(
              () -> expire(socket, expired), remaining(deadline), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      expire(socket, expired);
      throw new IllegalStateException("the egress client is closed", e);
    }
    try (socket) {
      Socket channel = destination.https() ? handshake(socket, destination, deadline) : socket;
      OutputStream out = new BufferedOutputStream(channel.getOutputStream(), WRITE_BUFFER);
      out.write(requestHead);
      out.write(body);
      out.flush();
      InputStream in =
          new BufferedInputStream(
              new DeadlineInputStream(channel, channel.getInputStream(), deadline));
      ResponseHead head = ResponseHead.read(in);
      Duration latency = since(startNanos);
      BodyDiscard.discard(in, head);
      return new EgressResponse(Outcome.RESPONDED, head.status(), head.retryAfter(), latency, "");
    } catch (IOException e) {
      return failure(startNanos, e, expired.get() || System.nanoTime() - deadline >= 0);
    } finally {
      alarm.cancel(false);
    }
  }

  private Socket connect(List<InetAddress> addresses, int port, long deadline) throws IOException {
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
        socket.connect(new InetSocketAddress(address, port), timeout);
        socket.setTcpNoDelay(true);
        return socket;
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
