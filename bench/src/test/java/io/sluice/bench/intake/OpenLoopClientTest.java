package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generator against a small real HTTP server on loopback (the JDK's). */
class OpenLoopClientTest {
  private static final Duration DRAIN = Duration.ofSeconds(5);

  private final AtomicInteger received = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private HttpServer server;

  /** What the server does with request number {@code n} (1-based) before answering. */
  private interface Behaviour {
    int status(int n) throws InterruptedException;
  }

  private InetSocketAddress serve(Behaviour behaviour) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/jobs", exchange -> answer(exchange, behaviour));
    server.start();
    return server.getAddress();
  }

  private void answer(HttpExchange exchange, Behaviour behaviour) throws IOException {
    exchange.getRequestBody().readAllBytes();
    int n = received.incrementAndGet();
    int status;
    try {
      status = behaviour.status(n);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    byte[] body =
        ("{\"id\":\"job_" + n + "\",\"status\":\"queued\"}").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @AfterEach
  void stopServer() {
    released.countDown();
    if (server != null) {
      server.stop(0);
    }
  }

  private static OpenLoopClient client(
      InetSocketAddress address, int maxConnections, Duration timeout, List<String> ids) {
    String hostPort = address.getHostString() + ":" + address.getPort();
    return new OpenLoopClient(
        address,
        JobBodies.requests(JobBodies.bodies(10, 1), hostPort, "sk-test"),
        maxConnections,
        timeout,
        ids::add);
  }

  private static Schedule schedule(double rate, Duration duration) {
    return new Schedule(System.nanoTime() + 20_000_000, rate, duration);
  }

  @Test
  void sendsEveryScheduledRequestAndCollectsTheAcceptedJobIds() throws Exception {
    InetSocketAddress address = serve(n -> 202);
    List<String> ids = new ArrayList<>();

    StepRecorder step;
    try (OpenLoopClient client = client(address, 50, Duration.ofSeconds(5), ids)) {
      step = client.run(schedule(200, Duration.ofMillis(500)), DRAIN);
    }

    assertThat(step.sent()).isEqualTo(100);
    assertThat(step.count(Outcome.ACCEPTED)).isEqualTo(100);
    assertThat(step.corrected().count()).isEqualTo(100);
    assertThat(ids).hasSize(100).doesNotHaveDuplicates().allMatch(id -> id.startsWith("job_"));
    assertThat(received).hasValue(100);
  }

  @Test
  void countsStatusesOtherThanAcceptedWithoutTheirLatencies() throws Exception {
    InetSocketAddress address = serve(n -> n % 2 == 0 ? 429 : 503);
    List<String> ids = new ArrayList<>();

    StepRecorder step;
    try (OpenLoopClient client = client(address, 10, Duration.ofSeconds(5), ids)) {
      step = client.run(schedule(100, Duration.ofMillis(200)), DRAIN);
    }

    assertThat(step.count(Outcome.RATE_LIMITED)).isEqualTo(10);
    assertThat(step.count(Outcome.SERVER_ERROR)).isEqualTo(10);
    assertThat(step.corrected().count()).isZero();
    assertThat(ids).isEmpty();
  }

  @Test
  void chargesRequestsThatWaitedBehindAStalledConnectionWithTheirWait() throws Exception {
    // one connection; the 5th request takes 300 ms: the ~30 meant for that time wait for it
    InetSocketAddress address =
        serve(
            n -> {
              if (n == 5) {
                Thread.sleep(300);
              }
              return 202;
            });

    StepRecorder step;
    try (OpenLoopClient client = client(address, 1, Duration.ofSeconds(5), new ArrayList<>())) {
      step = client.run(schedule(100, Duration.ofSeconds(1)), DRAIN);
    }

    assertThat(step.count(Outcome.ACCEPTED)).isEqualTo(100);
    assertThat(step.corrected().p90Ms()).isGreaterThan(100.0);
    assertThat(step.corrected().maxMs()).isGreaterThan(290.0);
    assertThat(step.serviceTime().p90Ms()).isLessThan(step.corrected().p90Ms() / 2);
    assertThat(step.sendLag().maxMs()).isGreaterThan(250.0);
  }

  @Test
  void countsARequestWithoutAnAnswerAsTimedOutAndGoesOn() throws Exception {
    InetSocketAddress address =
        serve(
            n -> {
              if (n == 1) {
                released.await(10, TimeUnit.SECONDS);
              }
              return 202;
            });

    StepRecorder step;
    try (OpenLoopClient client = client(address, 5, Duration.ofMillis(200), new ArrayList<>())) {
      step = client.run(schedule(20, Duration.ofMillis(500)), DRAIN);
    }

    assertThat(step.count(Outcome.TIMED_OUT)).isEqualTo(1);
    assertThat(step.count(Outcome.ACCEPTED)).isEqualTo(9);
  }

  @Test
  void countsRequestsItCouldNotSendWhenNothingListens() throws Exception {
    InetSocketAddress nobody = serve(n -> 202);
    server.stop(0);
    server = null;

    StepRecorder step;
    try (OpenLoopClient client = client(nobody, 5, Duration.ofSeconds(1), new ArrayList<>())) {
      step = client.run(schedule(20, Duration.ofMillis(250)), Duration.ofMillis(300));
    }

    assertThat(step.count(Outcome.NOT_SENT)).isEqualTo(5);
    assertThat(step.connectErrors()).isPositive();
  }

  @Test
  void endsAStepAtOnceWhenHaltedFromAnotherThread() throws Exception {
    InetSocketAddress address = serve(n -> 202);

    StepRecorder step;
    try (OpenLoopClient client = client(address, 5, Duration.ofSeconds(1), new ArrayList<>())) {
      received.set(0);
      Thread.ofVirtual()
          .start(
              () -> {
                while (received.get() < 10) {
                  Thread.onSpinWait();
                }
                client.halt();
              });
      step = client.run(schedule(100, Duration.ofSeconds(30)), DRAIN);
    }

    assertThat(step.count(Outcome.NOT_SENT)).isGreaterThan(2_500);
    assertThat(step.count(Outcome.ACCEPTED)).isGreaterThanOrEqualTo(9);
  }
}
