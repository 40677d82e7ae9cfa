package io.sluice.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.egress.EgressResponse.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https against a real TLS receiver on 127.0.0.1 whose self-signed certificate (made by keytool
 * here) names only {@code hooks.example.com}: the socket goes to the pinned address, while SNI and
 * the certificate check use the URL's host name.
 */
class EgressTlsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();
  private static final Map<String, String> HEADERS = Map.of("content-type", "application/json");
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
  private static final EgressRules LOOPBACK_HTTPS = new EgressRules(false, List.of("127.0.0.1/32"));

  @TempDir static Path dir;
  private static KeyStore identity;

  private final List<String> serverNames = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final StubResolver dns =
      new StubResolver()
          .answer("hooks.example.com", "127.0.0.1")
          .answer("other.example.com", "127.0.0.1");
  private SSLServerSocket server;
  private EgressClient client;

  @BeforeAll
  static void makeACertificateForHooksExampleCom() throws Exception {
    Path store = dir.resolve("hooks.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "hooks",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=hooks.example.com",
                "-ext",
                "SAN=dns:hooks.example.com",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    identity = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      identity.load(in, PASSWORD);
    }
  }

  @BeforeEach
  void startTheReceiver() throws Exception {
    server = tlsServerSocket();
    Thread.ofVirtual().start(this::serve);
    client = trustingClient(LOOPBACK_HTTPS);
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.close();
  }

  @Test
  void anHttpsPostVerifiesTheUrlsNameWhileConnectingToThePinnedAddress() {
    EgressResponse response = client.post(url("hooks.example.com"), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.RESPONDED);
    assertThat(response.status()).isEqualTo(204);
    assertThat(serverNames).containsExactly("hooks.example.com");
    assertThat(requests).containsExactly("POST /hooks HTTP/1.1");
  }

  @Test
  void aCertificateThatDoesNotNameTheUrlsHostFailsTheHandshake() {
    EgressResponse response = client.post(url("other.example.com"), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(response.error()).startsWith("TLS handshake failed").contains("other.example.com");
    assertThat(requests).isEmpty();
  }

  @Test
  void anAddressUrlIsVerifiedAgainstTheAddressNotTheNameInTheCertificate() {
    EgressResponse response = client.post(url("127.0.0.1"), HEADERS, BODY);

    assertThat(response.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(response.error()).startsWith("TLS handshake failed").contains("127.0.0.1");
    assertThat(requests).isEmpty();
  }

  @Test
  void aSelfSignedCertificateIsNotTrustedByDefault() {
    try (EgressClient defaultTrust =
        new EgressClient(
            new EgressGuard(LOOPBACK_HTTPS, dns), Duration.ofSeconds(2), Duration.ofSeconds(2))) {
      EgressResponse response = defaultTrust.post(url("hooks.example.com"), HEADERS, BODY);

      assertThat(response.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(response.error()).startsWith("TLS handshake failed");
    }
    assertThat(requests).isEmpty();
  }

  @Test
  void aReceiverThatNeverCompletesTheHandshakeTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        EgressClient quick = trustingClient(LOOPBACK_HTTPS, Duration.ofMillis(500))) {
      URI url = URI.create("https://hooks.example.com:" + silent.getLocalPort() + "/hooks");

      EgressResponse response = quick.post(url, HEADERS, BODY);

      assertThat(response.outcome()).isEqualTo(Outcome.TIMED_OUT);
      assertThat(response.latency()).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void httpsPostsShareOneConnectionAndOneHandshake() throws Exception {
    try (KeepAliveServer keeping =
        KeepAliveServer.serving(tlsServerSocket(), request -> KeepAliveServer.Reply.NO_CONTENT)) {
      URI url = keeping.url("https", "hooks.example.com");

      EgressResponse first = client.post(url, HEADERS, BODY);
      EgressResponse second = client.post(url, HEADERS, BODY);
      EgressResponse third = client.post(url, HEADERS, BODY);

      assertThat(List.of(first.status(), second.status(), third.status())).containsOnly(204);
      assertThat(keeping.connections()).isOne();
      assertThat(keeping.requests()).hasSize(3);
    }
  }

  @Test
  void aTlsConnectionIsNotReusedForAnotherHostNameOnTheSameAddress() throws Exception {
    try (KeepAliveServer keeping =
        KeepAliveServer.serving(tlsServerSocket(), request -> KeepAliveServer.Reply.NO_CONTENT)) {
      EgressResponse named = client.post(keeping.url("https", "hooks.example.com"), HEADERS, BODY);
      EgressResponse other = client.post(keeping.url("https", "other.example.com"), HEADERS, BODY);

      assertThat(named.status()).isEqualTo(204);
      assertThat(other.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(other.error()).startsWith("TLS handshake failed");
      assertThat(keeping.connections()).isEqualTo(2);
      assertThat(keeping.requests()).hasSize(1);
    }
  }

  @Test
  void aKeptTlsConnectionTheServerClosedIsRetriedOnANewOne() throws Exception {
    try (KeepAliveServer keeping =
        KeepAliveServer.serving(
            tlsServerSocket(),
            request ->
                request.connection() == 1
                    ? KeepAliveServer.Reply.thenClose("HTTP/1.1 204 No Content\r\n\r\n")
                    : KeepAliveServer.Reply.NO_CONTENT)) {
      URI url = keeping.url("https", "hooks.example.com");
      client.post(url, HEADERS, BODY);
      await().atMost(Duration.ofSeconds(5)).until(() -> keeping.closedByServer() == 1);

      EgressResponse response = client.post(url, HEADERS, BODY);

      assertThat(response.status()).isEqualTo(204);
      assertThat(keeping.connections()).isEqualTo(2);
      assertThat(keeping.requests()).hasSize(2);
    }
  }

  private static SSLServerSocket tlsServerSocket() throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(identity, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    SSLServerSocket socket =
        (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    return socket;
  }

  private EgressClient trustingClient(EgressRules rules) throws Exception {
    return trustingClient(rules, Duration.ofSeconds(2));
  }

  private EgressClient trustingClient(EgressRules rules, Duration requestTimeout) throws Exception {
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("hooks", identity.getCertificate("hooks"));
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return new EgressClient(
        new EgressGuard(rules, dns),
        Duration.ofSeconds(2),
        requestTimeout,
        context.getSocketFactory());
  }

  private URI url(String host) {
    return URI.create("https://" + host + ":" + server.getLocalPort() + "/hooks");
  }

  private void serve() {
    while (!server.isClosed()) {
      try (SSLSocket socket = (SSLSocket) server.accept()) {
        socket.startHandshake();
        ((ExtendedSSLSession) socket.getSession())
            .getRequestedServerNames()
            .forEach(name -> serverNames.add(((SNIHostName) name).getAsciiName()));
        requests.add(requestLine(socket.getInputStream()));
        socket
            .getOutputStream()
            .write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes());
      } catch (IOException e) {
        // A refused handshake or the closed server socket: nothing to serve.
      }
    }
  }

  private static String requestLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString();
  }
}
