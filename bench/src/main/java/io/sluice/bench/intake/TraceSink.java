package io.sluice.bench.intake;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in OTLP collector: takes every {@code POST /v1/traces} export, counts its requests and
 * bytes, answers 200 and keeps nothing. The traced side of the instrumentation benchmark pays the
 * whole cost of recording and exporting spans, and none of a real collector's.
 */
public final class TraceSink implements AutoCloseable {
  private final HttpServer server;
  private final AtomicLong exports = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  private TraceSink(HttpServer server) {
    this.server = server;
  }

  public static TraceSink start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      TraceSink sink = new TraceSink(server);
      server.createContext(
          "/v1/traces",
          exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
              sink.bytes.addAndGet(body.transferTo(OutputStream.nullOutputStream()));
            }
            sink.exports.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the trace sink", e);
    }
  }

  /** What the child's {@code OTEL_EXPORTER_OTLP_ENDPOINT} is set to. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public long exports() {
    return exports.get();
  }

  public long bytes() {
    return bytes.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
