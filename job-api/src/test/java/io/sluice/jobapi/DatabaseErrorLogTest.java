package io.sluice.jobapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Prompts, outputs and metadata never reach the logs, also when PostgreSQL refuses a statement and
 * its error detail quotes the row ("Failing row contains (...)", "Where: JSON data ...").
 */
class DatabaseErrorLogTest {
  private static final String MARKER = "SECRET-PROMPT-MARKER-7f3a";
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private JobApiFixture fixture;

  @BeforeEach
  void captureLogs() {
    logs.start();
    root.addAppender(logs);
    fixture = JobApiFixture.start();
  }

  @AfterEach
  void stop() {
    fixture.close();
    root.detachAppender(logs);
  }

  @Test
  void shouldLogAFailedJobInsertWithoutTheDataOfTheStatement() {
    JobApiFixture.Client client = fixture.newClient();
    refuseRowsQuoting(MARKER);
    String body =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"tell "
            + MARKER
            + "\"}],\"metadata\":{\"m\":\""
            + MARKER
            + "\"}}";

    HttpResponse<String> response = client.submit(body);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).doesNotContain(MARKER);
    assertThat(warnings()).isNotEmpty();
    assertNoEventQuotes(MARKER);
  }

  @Test
  void shouldLogAFailedProjectionWithoutTheOutput() {
    JobApiFixture.Client client = fixture.newClient();
    String id = JobApiFixture.json(client.submit(JobApiFixture.VALID_BODY)).get("id").asText();
    refuseRowsQuoting(MARKER);
    Instant now = Instant.now();
    JobEvent event =
        new JobEvent(
            1,
            "evt-" + id,
            id,
            client.tenant.id(),
            JobStatus.SUCCEEDED,
            "the answer is " + MARKER,
            new TokenUsage(3, 2),
            "openai",
            "gpt-4o-mini",
            new BigDecimal("0.000001"),
            null,
            1,
            now,
            now);

    KafkaTestClients.send(fixture.topics.jobsEvents().name(), id, EVENTS.toJson(event));

    await().atMost(Duration.ofSeconds(30)).until(() -> !warnings().isEmpty());
    assertNoEventQuotes(MARKER);
  }

  /** A trigger that refuses a row containing the marker with an error that quotes the row. */
  private void refuseRowsQuoting(String marker) {
    fixture.execute(
        "CREATE FUNCTION refuse_marker() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF position('"
            + marker
            + "' in NEW::text) > 0 THEN"
            + " RAISE EXCEPTION 'refused row %', NEW::text USING DETAIL = 'row: ' || NEW::text;"
            + " END IF; RETURN NEW; END $$");
    fixture.execute(
        "CREATE TRIGGER refuse_marker BEFORE INSERT OR UPDATE ON jobs"
            + " FOR EACH ROW EXECUTE FUNCTION refuse_marker()");
  }

  private List<ILoggingEvent> warnings() {
    return logs.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
        .toList();
  }

  private void assertNoEventQuotes(String marker) {
    for (ILoggingEvent event : List.copyOf(logs.list)) {
      assertThat(event.getFormattedMessage()).as(event.getLoggerName()).doesNotContain(marker);
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).as(event.getLoggerName()).doesNotContain(marker);
      }
    }
  }
}
