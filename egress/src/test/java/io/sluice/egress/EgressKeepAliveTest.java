package io.sluice.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.egress.EgressClient.KeepAlive;
import io.sluice.egress.EgressResponse.Outcome;
import io.sluice.egress.KeepAliveServer.Reply;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connections kept alive between posts, against a real server that counts connections: reuse, the
 * server's {@code Connection: close}, a connection the server closed while idle, expiry and bounds,
 * and that a connection is reused only for a post whose own DNS answer and check admit its address.
 */
class EgressKeepAliveTest {
  private static final byte[] BODY =
      "{\"type\":\"job.succeeded\"}".getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> HEADERS = Map.of("content-type", "application/json");
  private static final Duration REQUEST = Duration.ofSeconds(2);
  private static final EgressRules LOOPBACK = new EgressRules(true, List.of("127.0.0.0/8"));

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private final AtomicLong nanos = new AtomicLong();

  @AfterEach
  void closeResources() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  static Stream<Arguments> reusableResponses() {
    return Stream.of(
        Arguments.of("no content", "HTTP/1.1 204 No Content\r\n\r\n", 204),
        Arguments.of(
            "a body of known length", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 200),
        Arguments.of(
            "a chunked body with a trailer",
            "HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\nbusy\r\n0\r\nX-Trailer: 1\r\n\r\n",
            503));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reusableResponses")
  void sequentialPostsShareOneConnection(String kind, String response, int status) {
    KeepAliveServer server = server("127.0.0.1", 0, request -> Reply.keep(response));
    EgressClient client = client(LOOPBACK, new StubResolver(), KeepAlive.DEFAULT);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      statuses.add(client.post(server.url("http", "127.0.0.1"), HEADERS, BODY).status());
    }

    assertThat(statuses).containsOnly(status).hasSize(5);
    assertThat(server.connections()).isEqualTo(1);
    assertThat(server.requests()).hasSize(5).allSatisfy(r -> assertThat(r.connection()).isOne());
    assertThat(server.requests().get(0).header("connection")).isNull();
    assertThat(client.idleConnections()).isOne();
  }

  @Test
  void aJdkHttpServerReceiverKeepsOneConnectionForSequentialPosts() {
    // The receiver of job-api's tests and of the benchmark: three posts in a row leave one idle
    // connection (a new connection each time would leave three, none kept would leave none).
    TestReceiver receiver =
        TestReceiver.on(
            "127.0.0.1",
            0,
            Map.of(
                "/empty", new TestReceiver.Answer(204, Map.of(), ""),
                "/body", new TestReceiver.Answer(200, Map.of(), "ok")));
    resources.add(receiver);
    EgressClient client = client(LOOPBACK, new StubResolver(), KeepAlive.DEFAULT);

    client.post(receiver.url("127.0.0.1", "/empty"), HEADERS, BODY);
    client.post(receiver.url("127.0.0.1", "/body"), HEADERS, BODY);
    EgressResponse last = client.post(receiver.url("127.0.0.1", "/empty"), HEADERS, BODY);

    assertThat(last.status()).isEqualTo(204);
    assertThat(receiver.received()).hasSize(3);
    assertThat(client.idleConnections()).isOne();
  }

  static Stream<Arguments> responsesThatEndTheConnection() {
    return Stream.of(
        Arguments.of("Connection: close", "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"),
        Arguments.of("HTTP/1.0", "HTTP/1.0 204 No Content\r\n\r\n"),
        Arguments.of("a body without a length", "HTTP/1.1 200 OK\r\n\r\nuntil close"),
        Arguments.of(
            "a body over 64 KiB",
            "HTTP/1.1 200 OK\r\nContent-Length: 70000\r\n\r\n" + "x".repeat(70_000)),
        Arguments.of(
            "more bytes after the response",
            "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("responsesThatEndTheConnection")
  void aResponseThatDoesNotAllowReuseEndsTheConnection(String kind, String response) {
    // The server would serve a second request on the same connection: only the client's reading
    // of the response keeps it from doing so.
    KeepAliveServer server = server("127.0.0.1", 0, request -> Reply.keep(response));
    EgressClient client = client(LOOPBACK, new StubResolver(), KeepAlive.DEFAULT);

    EgressResponse first = client.post(server.url("http", "127.0.0.1"), HEADERS, BODY);
    EgressResponse second = client.post(server.url("http", "127.0.0.1"), HEADERS, BODY);

    assertThat(first.outcome()).isEqualTo(Outcome.RESPONDED);
    assertThat(second.outcome()).isEqualTo(Outcome.RESPONDED);
    assertThat(server.connections()).isEqualTo(2);
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void withoutKeepAliveEveryPostAsksForCloseAndGetsItsOwnConnection() {
    KeepAliveServer server = server("127.0.0.1", 0, request -> Reply.NO_CONTENT);
    EgressClient client = client(LOOPBACK, new StubResolver(), KeepAlive.NONE);

    client.post(server.url("http", "127.0.0.1"), HEADERS, BODY);
    client.post(server.url("http", "127.0.0.1"), HEADERS, BODY);

    assertThat(server.connections()).isEqualTo(2);
    assertThat(server.requests())
        .allSatisfy(r -> assertThat(r.header("connection")).isEqualTo("close"));
  }

  @Test
  void aKeptConnectionTheServerClosedIsRetriedOnceOnANewConnection() {
    // The first connection's server closes it after its first answer without saying so, as a
    // server does when a kept connection's idle time runs out.
    KeepAliveServer server =
        server(
            "127.0.0.1",
            0,
            request ->
                request.connection() == 1
                    ? Reply.thenClose("HTTP/1.1 204 No Content\r\n\r\n")
                    : Reply.NO_CONTENT);
    EgressClient client = client(LOOPBACK, new StubResolver(), KeepAlive.DEFAULT);
    URI url = server.url("http", "127.0.0.1");
    client.post(url, HEADERS, BODY);
    await().atMost(Duration.ofSeconds(5)).until(() -> server.closedByServer() == 1);

    EgressResponse response = client.post(url, HEADERS, BODY);

    assertThat(response.status()).isEqualTo(204);
    assertThat(server.connections()).isEqualTo(2);
    assertThat(server.requests())
        .extracting(KeepAliveServer.Request::connection)
        .containsExactly(1, 2);
  }

  @Test
  void aKeptConnectionThatBreaksOffAfterPartOfTheResponseIsNotRetried() {
    AtomicInteger answered = new AtomicInteger();
    KeepAliveServer server =
        server(
            "127.0.0.1",
            0,
            request ->
                answered.incrementAndGet() == 1
                    ? Reply.NO_CONTENT
                    : Reply.thenClose("HTTP/1.1 200 OK\r\nContent-Le"));
    EgressClient client = client(LOOPBACK, new StubResolver(), KeepAlive.DEFAULT);
    URI url = server.url("http", "127.0.0.1");
    client.post(url, HEADERS, BODY);

    EgressResponse response = client.post(url, HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(server.connections()).isOne();
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void aNewConnectionClosedWithoutAnAnswerIsNotRetried() {
    KeepAliveServer server = server("127.0.0.1", 0, request -> Reply.thenClose(""));
    EgressClient client = client(LOOPBACK, new StubResolver(), KeepAlive.DEFAULT);

    EgressResponse response = client.post(server.url("http", "127.0.0.1"), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(server.connections()).isOne();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void aKeptConnectionThatTimesOutIsNotRetried() throws InterruptedException {
    CountDownLatch released = new CountDownLatch(1);
    AtomicInteger answered = new AtomicInteger();
    KeepAliveServer server =
        server(
            "127.0.0.1",
            0,
            request -> {
              if (answered.incrementAndGet() > 1) {
                released.await(10, TimeUnit.SECONDS);
              }
              return Reply.NO_CONTENT;
            });
    resources.add(released::countDown);
    EgressClient client =
        new EgressClient(
            new EgressGuard(LOOPBACK, new StubResolver()),
            Duration.ofSeconds(2),
            Duration.ofMillis(500),
            tls(),
            KeepAlive.DEFAULT,
            nanos::get);
    resources.add(client);
    URI url = server.url("http", "127.0.0.1");
    client.post(url, HEADERS, BODY);

    EgressResponse response = client.post(url, HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(server.connections()).isOne();
  }

  @Test
  void anIdleConnectionIsReusedWithinItsIdleTimeoutAndClosedAfterIt() {
    KeepAliveServer server = server("127.0.0.1", 0, request -> Reply.NO_CONTENT);
    EgressClient client =
        client(LOOPBACK, new StubResolver(), new KeepAlive(Duration.ofSeconds(30), 8, 64));
    URI url = server.url("http", "127.0.0.1");
    client.post(url, HEADERS, BODY);

    nanos.addAndGet(Duration.ofSeconds(29).toNanos());
    client.post(url, HEADERS, BODY);
    assertThat(server.connections()).isOne();

    nanos.addAndGet(Duration.ofSeconds(30).toNanos());
    await().atMost(Duration.ofSeconds(5)).until(() -> server.closedByClient() == 1);
    assertThat(client.idleConnections()).isZero();
    client.post(url, HEADERS, BODY);
    assertThat(server.connections()).isEqualTo(2);
  }

  @Test
  void anExpiredConnectionIsNotReusedEvenBeforeTheSweepClosesIt() {
    KeepAliveServer server = server("127.0.0.1", 0, request -> Reply.NO_CONTENT);
    EgressClient client =
        client(LOOPBACK, new StubResolver(), new KeepAlive(Duration.ofSeconds(30), 8, 64));
    URI url = server.url("http", "127.0.0.1");
    client.post(url, HEADERS, BODY);

    nanos.addAndGet(Duration.ofSeconds(30).toNanos());
    client.post(url, HEADERS, BODY);

    assertThat(server.connections()).isEqualTo(2);
  }

  @Test
  void atMostTheBoundsAreKeptPerDestinationAndInAll() throws InterruptedException {
    // Three posts at once to each of two servers: three connections to each. Two may be kept per
    // destination and three in all.
    CountDownLatch allArrived = new CountDownLatch(6);
    KeepAliveServer.Responder together =
        request -> {
          allArrived.countDown();
          allArrived.await(10, TimeUnit.SECONDS);
          return Reply.NO_CONTENT;
        };
    KeepAliveServer a = server("127.0.0.1", 0, together);
    KeepAliveServer b = server("127.0.0.1", 0, together);
    EgressClient client =
        client(LOOPBACK, new StubResolver(), new KeepAlive(Duration.ofSeconds(30), 2, 3));

    List<Thread> posts = new ArrayList<>();
    for (KeepAliveServer server : List.of(a, a, a, b, b, b)) {
      posts.add(
          Thread.ofVirtual()
              .start(() -> client.post(server.url("http", "127.0.0.1"), HEADERS, BODY)));
    }
    for (Thread post : posts) {
      post.join(Duration.ofSeconds(10));
    }

    assertThat(a.connections() + b.connections()).isEqualTo(6);
    assertThat(client.idleConnections()).isEqualTo(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> a.closedByClient() + b.closedByClient() == 3);
    assertThat(a.closedByClient()).isPositive();
    assertThat(b.closedByClient()).isPositive();
  }

  @Test
  void closingTheClientClosesItsIdleConnections() {
    KeepAliveServer server = server("127.0.0.1", 0, request -> Reply.NO_CONTENT);
    EgressClient client = client(LOOPBACK, new StubResolver(), KeepAlive.DEFAULT);
    client.post(server.url("http", "127.0.0.1"), HEADERS, BODY);

    client.close();

    await().atMost(Duration.ofSeconds(5)).until(() -> server.closedByClient() == 1);
    assertThat(client.idleConnections()).isZero();
  }

  @Test
  void aDnsAnswerThatMovesToAnotherAdmittedAddressGetsANewConnectionThere() {
    KeepAliveServer first = server("127.0.0.1", 0, request -> Reply.NO_CONTENT);
    KeepAliveServer second = server("127.0.0.2", first.port(), request -> Reply.NO_CONTENT);
    StubResolver dns =
        new StubResolver()
            .answer("hooks.example.com", "127.0.0.1")
            .thenAnswer("hooks.example.com", "127.0.0.2");
    EgressClient client = client(LOOPBACK, dns, KeepAlive.DEFAULT);
    URI url = first.url("http", "hooks.example.com");

    client.post(url, HEADERS, BODY);
    EgressResponse moved = client.post(url, HEADERS, BODY);

    assertThat(moved.status()).isEqualTo(204);
    assertThat(first.requests()).hasSize(1);
    assertThat(second.requests()).hasSize(1);
    assertThat(client.idleConnections()).isEqualTo(2);
  }

  @Test
  void aDnsAnswerThatMovesToARefusedAddressIsRefusedDespiteAKeptConnection() {
    KeepAliveServer server = server("127.0.0.1", 0, request -> Reply.NO_CONTENT);
    StubResolver dns =
        new StubResolver()
            .answer("hooks.example.com", "127.0.0.1")
            .thenAnswer("hooks.example.com", "10.0.0.7");
    EgressClient client =
        client(new EgressRules(true, List.of("127.0.0.1/32")), dns, KeepAlive.DEFAULT);
    URI url = server.url("http", "hooks.example.com");

    client.post(url, HEADERS, BODY);
    EgressResponse refused = client.post(url, HEADERS, BODY);

    assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED_DESTINATION);
    assertThat(refused.error())
        .isEqualTo("the URL's host resolves to a private address (10.0.0.7)");
    assertThat(server.requests()).hasSize(1);
    assertThat(dns.lookups()).isEqualTo(2);
  }

  @Test
  void aConnectionIsReusedOnlyForTheHostNameItWasOpenedFor() {
    KeepAliveServer server = server("127.0.0.1", 0, request -> Reply.NO_CONTENT);
    StubResolver dns =
        new StubResolver()
            .answer("a.example.com", "127.0.0.1")
            .answer("b.example.com", "127.0.0.1");
    EgressClient client = client(LOOPBACK, dns, KeepAlive.DEFAULT);

    client.post(server.url("http", "a.example.com"), HEADERS, BODY);
    client.post(server.url("http", "b.example.com"), HEADERS, BODY);
    client.post(server.url("http", "a.example.com"), HEADERS, BODY);

    assertThat(server.connections()).isEqualTo(2);
    assertThat(server.requests())
        .extracting(r -> r.header("host").split(":")[0] + "@" + r.connection())
        .containsExactly("a.example.com@1", "b.example.com@2", "a.example.com@1");
  }

  private KeepAliveServer server(String address, int port, KeepAliveServer.Responder responder) {
    KeepAliveServer server = KeepAliveServer.on(address, port, responder);
    resources.add(server);
    return server;
  }

  private EgressClient client(EgressRules rules, StubResolver dns, KeepAlive keepAlive) {
    EgressClient client =
        new EgressClient(
            new EgressGuard(rules, dns),
            Duration.ofSeconds(2),
            REQUEST,
            tls(),
            keepAlive,
            nanos::get);
    resources.add(client);
    return client;
  }

  private static SSLSocketFactory tls() {
    return (SSLSocketFactory) SSLSocketFactory.getDefault();
  }
}
