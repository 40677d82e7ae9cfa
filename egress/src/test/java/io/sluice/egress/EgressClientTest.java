package io.sluice.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.egress.EgressResponse.Outcome;
import io.sluice.egress.TestReceiver.Answer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EgressClientTest {
  private static final byte[] BODY =
      "{\"type\":\"job.succeeded\",\"data\":\"BODY-SECRET\"}".getBytes(StandardCharsets.UTF_8);
  private static final Map<String, String> HEADERS =
      Map.of("content-type", "application/json", "webhook-signature", "v1,HEADER-SECRET");
  private static final Duration CONNECT = Duration.ofSeconds(2);
  private static final Duration REQUEST = Duration.ofMillis(800);

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeResources() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.sluice.egress.SsrfCases#refused")
  void everyForbiddenDestinationIsRefusedAtDeliveryWithoutAConnection(String url, String reason) {
    EgressClient client = client(EgressRules.publicHttpsOnly(), SsrfCases.resolver());

    EgressResponse response = client.post(URI.create(url), HEADERS, BODY);

    assertThat(response.outcome())
        .isEqualTo(
            reason.contains("does not resolve")
                ? Outcome.CONNECT_FAILED
                : Outcome.REFUSED_DESTINATION);
    assertThat(response.status()).isZero();
    assertThat(response.error()).contains(reason);
  }

  @Test
  void aSuccessfulPostSendsTheBodyAndHeadersToTheUrlsHostAndPath() {
    TestReceiver receiver = receiver(Map.of("/hooks", new Answer(204, Map.of(), "")));
    EgressClient client =
        client(
            new EgressRules(true, List.of("127.0.0.1/32")),
            new StubResolver().answer("hooks.example.com", "127.0.0.1"));

    EgressResponse response =
        client.post(receiver.url("hooks.example.com", "/hooks?tenant=7"), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.RESPONDED);
    assertThat(response.status()).isEqualTo(204);
    assertThat(response.isSuccess()).isTrue();
    assertThat(response.error()).isEmpty();
    assertThat(response.latency()).isPositive();
    TestReceiver.Received received = receiver.received().get(0);
    assertThat(received.path()).isEqualTo("/hooks?tenant=7");
    assertThat(received.body()).isEqualTo(BODY);
    assertThat(received.header("Host")).isEqualTo("hooks.example.com:" + receiver.port());
    assertThat(received.header("webhook-signature")).isEqualTo("v1,HEADER-SECRET");
    assertThat(received.header("Content-Type")).isEqualTo("application/json");
  }

  @Test
  void aPublicLookingNameThatResolvesToLoopbackIsReachedOnlyThroughTheAllowList() {
    TestReceiver receiver = receiver(Map.of("/", new Answer(200, Map.of(), "ok")));
    StubResolver dns = new StubResolver().answer("hooks.example.com", "127.0.0.1");
    URI url = receiver.url("hooks.example.com", "/");

    EgressResponse refused = client(new EgressRules(true, List.of()), dns).post(url, HEADERS, BODY);
    EgressResponse admitted =
        client(new EgressRules(true, List.of("127.0.0.1/32")), dns).post(url, HEADERS, BODY);

    assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED_DESTINATION);
    assertThat(refused.error())
        .isEqualTo("the URL's host resolves to a loopback address (127.0.0.1)");
    assertThat(admitted.status()).isEqualTo(200);
    assertThat(receiver.received()).hasSize(1);
  }

  @Test
  void aRedirectIsReturnedAndNeverFollowed() {
    TestReceiver receiver =
        receiver(
            Map.of(
                "/start", new Answer(302, Map.of("Location", "/target"), ""),
                "/target", new Answer(200, Map.of(), "")));

    EgressResponse response = local().post(receiver.url("127.0.0.1", "/start"), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.RESPONDED);
    assertThat(response.status()).isEqualTo(302);
    assertThat(response.isSuccess()).isFalse();
    assertThat(receiver.received())
        .extracting(TestReceiver.Received::path)
        .containsExactly("/start");
  }

  @Test
  void goneAndServiceUnavailableWithRetryAfterAreReported() {
    TestReceiver receiver =
        receiver(
            Map.of(
                "/gone", new Answer(410, Map.of(), "endpoint removed"),
                "/busy", new Answer(503, Map.of("Retry-After", "120"), "try later")));
    EgressClient client = local();

    EgressResponse gone = client.post(receiver.url("127.0.0.1", "/gone"), HEADERS, BODY);
    EgressResponse busy = client.post(receiver.url("127.0.0.1", "/busy"), HEADERS, BODY);

    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.retryAfter()).isEmpty();
    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.retryAfter()).contains("120");
  }

  @Test
  void aReceiverThatAcceptsAndThenHangsTimesOutWithinTheRequestTimeout() throws IOException {
    ServerSocket silent = listen("127.0.0.1");
    List<Socket> accepted = acceptForever(silent);

    long start = System.nanoTime();
    EgressResponse response = local().post(url(silent), HEADERS, BODY);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(response.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(response.status()).isZero();
    assertThat(took).isBetween(REQUEST.minusMillis(50), REQUEST.plusSeconds(2));
    assertThat(accepted).hasSize(1);
  }

  @Test
  void aReceiverThatTricklesItsResponseCannotStretchTheTimeout() throws IOException {
    ServerSocket trickler = listen("127.0.0.1");
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    resources.add(drip::shutdownNow);
    Thread.ofVirtual()
        .start(
            () -> {
              try (Socket socket = trickler.accept()) {
                OutputStream out = socket.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                drip.scheduleAtFixedRate(() -> writeQuietly(out, 'x'), 0, 50, TimeUnit.MILLISECONDS)
                    .get();
              } catch (Exception e) {
                // The client hung up: the test is over.
              }
            });

    long start = System.nanoTime();
    EgressResponse response = local().post(url(trickler), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(REQUEST.plusSeconds(2));
  }

  @Test
  void aReceiverThatNeverReadsALargeBodyTimesOutWithinTheRequestTimeout() throws IOException {
    ServerSocket deaf = listen("127.0.0.1");
    acceptForever(deaf);
    byte[] large = new byte[64 * 1024 * 1024];

    long start = System.nanoTime();
    EgressResponse response = local().post(url(deaf), HEADERS, large);

    assertThat(response.outcome()).isEqualTo(Outcome.TIMED_OUT);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(REQUEST.plusSeconds(2));
  }

  @Test
  void aRefusedConnectionIsAConnectFailure() throws IOException {
    ServerSocket closed = listen("127.0.0.1");
    URI url = url(closed);
    closed.close();

    EgressResponse response = local().post(url, HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.CONNECT_FAILED);
    assertThat(response.error()).isEqualTo("the connection was refused");
  }

  @Test
  void aConnectionThatIsNeverAcceptedFailsAfterTheConnectTimeout() throws IOException {
    // A listener whose accept queue is full drops further SYNs: the connect hangs.
    ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    resources.add(full);
    for (int i = 0; i < 4; i++) {
      Socket filler = new Socket();
      resources.add(filler);
      try {
        filler.connect(full.getLocalSocketAddress(), 200);
      } catch (IOException e) {
        break;
      }
    }
    EgressClient client =
        new EgressClient(
            new EgressGuard(EgressRules.local(), new StubResolver()),
            Duration.ofMillis(300),
            Duration.ofSeconds(10));
    resources.add(client);

    long start = System.nanoTime();
    EgressResponse response = client.post(url(full), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.CONNECT_FAILED);
    assertThat(response.error()).isEqualTo("connecting timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aNameThatDoesNotResolveAtDeliveryIsAConnectFailure() {
    EgressResponse response =
        client(EgressRules.publicHttpsOnly(), new StubResolver())
            .post(URI.create("https://gone.example.com/"), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.CONNECT_FAILED);
    assertThat(response.error()).contains("does not resolve");
  }

  @Test
  void aResponseThatIsNotHttpIsAFailureWithoutQuotingIt() throws IOException {
    ServerSocket liar = listen("127.0.0.1");
    Thread.ofVirtual()
        .start(
            () -> {
              try (Socket socket = liar.accept()) {
                readRequest(socket);
                socket.getOutputStream().write("SSH-2.0-OpenSSH RESPONSE-SECRET\r\n".getBytes());
              } catch (IOException e) {
                // The client hung up: the test is over.
              }
            });

    EgressResponse response = local().post(url(liar), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(response.error()).startsWith("the response is not valid HTTP/1.1");
    assertThat(response.error()).doesNotContain("RESPONSE-SECRET");
  }

  @Test
  void errorsNeverQuoteTheBodyOrHeaderValues() throws IOException {
    ServerSocket silent = listen("127.0.0.1");
    acceptForever(silent);
    List<EgressResponse> failures =
        List.of(
            local().post(url(silent), HEADERS, BODY),
            local().post(URI.create("http://10.0.0.1/"), HEADERS, BODY),
            local().post(URI.create("http://127.0.0.1:1/"), HEADERS, BODY));

    assertThat(failures)
        .allSatisfy(
            response ->
                assertThat(response.error())
                    .isNotEmpty()
                    .doesNotContain("BODY-SECRET")
                    .doesNotContain("HEADER-SECRET"));
  }

  @Test
  void headersThatCouldInjectLinesOrThatTheClientOwnsAreRejectedWithoutQuotingTheValue() {
    EgressClient client = local();
    URI url = URI.create("http://127.0.0.1:1/");

    assertThatThrownBy(() -> client.post(url, Map.of("x-a", "v\r\nX-Injected: SECRET"), BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x-a")
        .hasMessageNotContaining("SECRET");
    assertThatThrownBy(() -> client.post(url, Map.of("bad name", "v"), BODY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.post(url, Map.of("Host", "evil.example"), BODY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.post(url, Map.of("Transfer-Encoding", "chunked"), BODY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClosedClientRefusesToPost() {
    EgressClient client = local();
    client.close();

    assertThatThrownBy(() -> client.post(URI.create("http://127.0.0.1:1/"), Map.of(), BODY))
        .isInstanceOf(IllegalStateException.class);
  }

  // DNS rebinding.

  @Test
  void aNameThatTurnsPrivateAfterRegistrationIsRefusedAtDelivery() {
    StubResolver dns =
        new StubResolver()
            .answer("rebind.example.com", "93.184.216.34")
            .thenAnswer("rebind.example.com", "10.0.0.7");
    EgressGuard guard = new EgressGuard(EgressRules.publicHttpsOnly(), dns);
    EgressClient client = client(guard);
    URI url = URI.create("https://rebind.example.com/hooks");

    assertThat(guard.check(url)).isInstanceOf(EgressCheck.Allowed.class);
    EgressResponse response = client.post(url, HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.REFUSED_DESTINATION);
    assertThat(response.error())
        .isEqualTo("the URL's host resolves to a private address (10.0.0.7)");
    assertThat(dns.lookups()).isEqualTo(2);
  }

  @Test
  void aPostConnectsOnlyToTheAddressItCheckedEvenIfTheNextAnswerIsLoopback() {
    // 127.0.0.2 stands in for "the public address": allowed by the rules, and reachable without
    // leaving this machine. A second receiver on the same port of 127.0.0.1 is what a second
    // lookup would reach.
    TestReceiver checked =
        TestReceiver.on("127.0.0.2", 0, Map.of("/", new Answer(200, Map.of(), "")));
    resources.add(checked);
    TestReceiver loopback =
        TestReceiver.on("127.0.0.1", checked.port(), Map.of("/", new Answer(418, Map.of(), "")));
    resources.add(loopback);
    StubResolver dns =
        new StubResolver()
            .answer("rebind.example.com", "127.0.0.2")
            .thenAnswer("rebind.example.com", "127.0.0.1");
    EgressClient client = client(new EgressRules(true, List.of("127.0.0.2/32")), dns);

    EgressResponse response = client.post(checked.url("rebind.example.com", "/"), HEADERS, BODY);

    assertThat(response.status()).isEqualTo(200);
    assertThat(dns.lookups()).isEqualTo(1);
    assertThat(checked.received()).hasSize(1);
    assertThat(loopback.received()).isEmpty();
  }

  @Test
  void everyPostLooksTheNameUpExactlyOnce() {
    TestReceiver receiver = receiver(Map.of("/", new Answer(200, Map.of(), "")));
    StubResolver dns = new StubResolver().answer("hooks.example.com", "127.0.0.1");
    EgressClient client = client(new EgressRules(true, List.of("127.0.0.1/32")), dns);

    client.post(receiver.url("hooks.example.com", "/"), HEADERS, BODY);
    client.post(receiver.url("hooks.example.com", "/"), HEADERS, BODY);

    assertThat(dns.lookups()).isEqualTo(2);
    assertThat(receiver.received()).hasSize(2);
  }

  @Test
  void theNextCheckedAddressIsTriedWhenTheFirstRefusesTheConnection() throws IOException {
    TestReceiver receiver = receiver(Map.of("/", new Answer(200, Map.of(), "")));
    StubResolver dns = new StubResolver().answer("hooks.example.com", "127.0.0.3", "127.0.0.1");
    EgressClient client = client(new EgressRules(true, List.of("127.0.0.0/8")), dns);

    EgressResponse response = client.post(receiver.url("hooks.example.com", "/"), HEADERS, BODY);

    assertThat(response.status()).isEqualTo(200);
  }

  private EgressClient local() {
    return client(EgressRules.local(), new StubResolver());
  }

  private EgressClient client(EgressRules rules, StubResolver dns) {
    return client(new EgressGuard(rules, dns));
  }

  private EgressClient client(EgressGuard guard) {
    EgressClient client = new EgressClient(guard, CONNECT, REQUEST);
    resources.add(client);
    return client;
  }

  private TestReceiver receiver(Map<String, Answer> answers) {
    TestReceiver receiver = TestReceiver.on("127.0.0.1", 0, answers);
    resources.add(receiver);
    return receiver;
  }

  private ServerSocket listen(String address) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
    resources.add(server);
    return server;
  }

  private List<Socket> acceptForever(ServerSocket server) {
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                while (true) {
                  Socket socket = server.accept();
                  accepted.add(socket);
                  resources.add(socket);
                }
              } catch (IOException e) {
                // The server socket was closed: the test is over.
              }
            });
    return accepted;
  }

  /** Reads one request of {@link #BODY}'s length, so that closing afterwards resets nothing. */
  private static void readRequest(Socket socket) throws IOException {
    java.io.InputStream in = socket.getInputStream();
    String head = "";
    while (!head.endsWith("\r\n\r\n")) {
      head += (char) in.read();
    }
    in.readNBytes(BODY.length);
  }

  private static URI url(ServerSocket server) {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hooks");
  }

  private static void writeQuietly(OutputStream out, char c) {
    try {
      out.write(c);
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException("the client hung up", e);
    }
  }
}
