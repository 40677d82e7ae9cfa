package io.sluice.launcher.reachability;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.lifecycle.BackgroundLoop;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The watch's probes against real servers and against an address where nothing listens. (A broker
 * going away and coming back, with the log lines, is {@code KafkaOutageTest}.)
 */
class ReachabilityWatchTest {
  private static final BackgroundLoop.Settings FAST =
      BackgroundLoop.Settings.idleWait(Duration.ofMillis(200))
          .withBackoff(Duration.ofMillis(100), Duration.ofMillis(200))
          .withStopTimeout(Duration.ofSeconds(5));

  @Test
  void shouldFindTheTestServersReachable() throws Exception {
    PostgresEndpoint db = TestInfrastructure.postgres();
    new PostgresProbe(db.jdbcUrl(), db.username(), db.password(), Duration.ofSeconds(3)).check();
    try (KafkaProbe kafka =
        new KafkaProbe(TestInfrastructure.kafka().bootstrapServers(), Duration.ofSeconds(3))) {
      kafka.check();
    }
  }

  @Test
  void shouldSayWhichServerDidNotAnswerWithoutItsErrorText() throws Exception {
    int port = unusedPort();
    var postgres =
        new PostgresProbe(
            "jdbc:postgresql://127.0.0.1:" + port + "/jobs?password=secret",
            "sluice",
            "secret",
            Duration.ofSeconds(1));
    assertThatThrownBy(postgres::check)
        .isInstanceOf(UnreachableException.class)
        .hasMessage(
            "PostgreSQL at jdbc:postgresql://127.0.0.1:"
                + port
                + "/jobs did not answer"
                + " (SQL state 08001)");
    try (KafkaProbe kafka = new KafkaProbe("127.0.0.1:" + port, Duration.ofSeconds(1))) {
      assertThatThrownBy(kafka::check)
          .isInstanceOf(UnreachableException.class)
          .hasMessage("Kafka at 127.0.0.1:" + port + " did not answer within 1 s");
    }
  }

  @Test
  void shouldReportAServerThatDoesNotAnswerAsUnreachable() throws Exception {
    int port = unusedPort();
    try (ReachabilityWatch watch =
        ReachabilityWatch.watch(
            "test",
            "PostgreSQL",
            new PostgresProbe(
                "jdbc:postgresql://127.0.0.1:" + port + "/x", "u", "p", Duration.ofSeconds(1)),
            FAST)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !watch.isReachable());
    }
    PostgresEndpoint db = TestInfrastructure.postgres();
    try (ReachabilityWatch watch =
        ReachabilityWatch.postgres("test", db.jdbcUrl(), db.username(), db.password())) {
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(watch::isReachable);
    }
  }

  private static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
