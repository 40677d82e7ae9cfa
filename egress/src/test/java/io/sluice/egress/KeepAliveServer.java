package io.sluice.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server that serves many requests per connection and counts connections: each
 * request is answered as the test's {@link Responder} says, which also decides whether the server
 * closes the connection afterwards (whatever the reply's headers claim). Serves on a plain or a TLS
 * server socket.
 */
final class KeepAliveServer implements AutoCloseable {
  /** One request: the connection it came on (1, 2, ...), its request line and its headers. */
  record Request(int connection, String line, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** What to write back, and whether to close the connection after writing it. */
  record Reply(String text, boolean close) {
    static final Reply NO_CONTENT = new Reply("HTTP/1.1 204 No Content\r\n\r\n", false);

    static Reply keep(String text) {
      return new Reply(text, false);
    }

    static Reply thenClose(String text) {
      return new Reply(text, true);
    }
  }

  @FunctionalInterface
  interface Responder {
    Reply answer(Request request) throws Exception;
  }

  private final ServerSocket server;
  private final Responder responder;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger closedByClient = new AtomicInteger();
  private final AtomicInteger closedByServer = new AtomicInteger();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();

  private KeepAliveServer(ServerSocket server, Responder responder) {
    this.server = server;
    this.responder = responder;
    Thread.ofVirtual().start(this::accept);
  }

  /** Serves on {@code address} and {@code port} (0: any free port). */
  static KeepAliveServer on(String address, int port, Responder responder) {
    try {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
      return new KeepAliveServer(server, responder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves on a bound server socket (a TLS one, for instance). */
  static KeepAliveServer serving(ServerSocket server, Responder responder) {
    return new KeepAliveServer(server, responder);
  }

  int port() {
    return server.getLocalPort();
  }

  URI url(String scheme, String host) {
    return URI.create(scheme + "://" + host + ":" + port() + "/hooks");
  }

  /** Connections accepted so far. */
  int connections() {
    return connections.get();
  }

  /** Connections the client closed between requests. */
  int closedByClient() {
    return closedByClient.get();
  }

  /** Connections this server closed because a {@link Reply} said so. */
  int closedByServer() {
    return closedByServer.get();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  private void accept() {
    try {
      while (true) {
        Socket socket = server.accept();
        open.add(socket);
        int number = connections.incrementAndGet();
        Thread.ofVirtual().start(() -> serve(socket, number));
      }
    } catch (IOException e) {
      // The server socket was closed: the test is over.
    }
  }

  private void serve(Socket socket, int connection) {
    try (socket) {
      InputStream in = socket.getInputStream();
      while (true) {
        List<String> head = head(in);
        if (head.isEmpty()) {
          closedByClient.incrementAndGet();
          return;
        }
        Request request = new Request(connection, head.get(0), headers(head));
        String length = request.header("content-length");
        in.readNBytes(length == null ? 0 : Integer.parseInt(length));
        requests.add(request);
        Reply reply = responder.answer(request);
        socket.getOutputStream().write(reply.text().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        if (reply.close()) {
          closedByServer.incrementAndGet();
          return;
        }
      }
    } catch (Exception e) {
      // The client broke the connection off, or the test is over.
    }
  }

  /** The request line and header lines, or none when the client closed before a request. */
  private static List<String> head(InputStream in) throws IOException {
    List<String> lines = new java.util.ArrayList<>();
    while (true) {
      String line = line(in);
      if (line == null) {
        if (lines.isEmpty()) {
          return List.of();
        }
        throw new IOException("the connection closed in the middle of a request");
      }
      if (line.isEmpty()) {
        return lines;
      }
      lines.add(line);
    }
  }

  private static Map<String, String> headers(List<String> head) {
    Map<String, String> headers = new HashMap<>();
    for (String line : head.subList(1, head.size())) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    return headers;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : open) {
      socket.close();
    }
  }
}
