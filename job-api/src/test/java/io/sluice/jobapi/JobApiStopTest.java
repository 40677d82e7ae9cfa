package io.sluice.jobapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What SIGTERM does to job-api: it stops taking requests, lets those under way finish, and only
 * then closes their beans and the connection pool. Micronaut's blocking executor runs requests on
 * virtual threads and cannot be waited for, so a stop used to close everything under requests that
 * were still writing their job: "Cannot resolve beans until the context is running", a closed pool,
 * a job half-written.
 */
class JobApiStopTest {
  private static final int REQUESTS = 3;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void captureLogs() {
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    root.detachAppender(logs);
  }

  @Test
  void aStopWaitsForTheRequestsUnderWayAndTheyFinishWithoutErrors() throws Exception {
    try (JobApiFixture fixture = JobApiFixture.start();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      JobApiFixture.Client client = fixture.newClient();
      URI api = fixture.api.url();
      List<Future<Integer>> requests = new ArrayList<>();
      Future<?> stopping;
      try (Connection locker =
          DriverManager.getConnection(
              fixture.database.jdbcUrl(),
              fixture.database.username(),
              fixture.database.password())) {
        locker.setAutoCommit(false);
        try (Statement lock = locker.createStatement()) {
          lock.execute("LOCK TABLE jobs IN EXCLUSIVE MODE");
        }
        for (int i = 0; i < REQUESTS; i++) {
          String key = "stop-" + i;
          requests.add(threads.submit(() -> statusOf(client, key)));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> insertsWaiting(locker) == REQUESTS);

        stopping = threads.submit(fixture.api::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(api));
        // the inserts still wait for the lock: the stop must wait for them
        await()
            .during(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(3))
            .until(() -> !stopping.isDone());
        locker.commit();
      }
      stopping.get(30, TimeUnit.SECONDS);

      assertThat(client.jobCount()).isEqualTo(REQUESTS);
      for (Future<Integer> request : requests) {
        // answered 202, or the connection closed with the server; never a server error
        assertThat(request.get(30, TimeUnit.SECONDS)).isIn(202, -1);
      }
      assertThat(logs.list)
          .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
          .extracting(ILoggingEvent::getFormattedMessage)
          .isEmpty();
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(message -> message.contains("still running"));
    }
  }

  private static int statusOf(JobApiFixture.Client client, String idempotencyKey) {
    try {
      return client
          .submit(JobApiFixture.VALID_BODY, "Idempotency-Key", idempotencyKey)
          .statusCode();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  private static int insertsWaiting(Connection other) throws Exception {
    try (Statement s = other.createStatement();
        ResultSet row =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE 'INSERT INTO jobs%'")) {
      row.next();
      return row.getInt(1);
    }
  }

  private static boolean refusesConnections(URI api) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(api.getHost(), api.getPort()), 500);
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
