package io.sluice.jobapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.lifecycle.BackgroundLoop;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * When the outbox relay loses its table it says so once (WARN), keeps retrying quietly, says once
 * that it is back (INFO), and publishes what waited, by itself.
 */
class StoreOutageTest {
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger loopLogger = (Logger) LoggerFactory.getLogger(BackgroundLoop.class);
  private Level levelBefore;
  private JobApiFixture fixture;

  @BeforeEach
  void captureLoopLogs() {
    logs.start();
    levelBefore = loopLogger.getLevel();
    loopLogger.setLevel(Level.DEBUG);
    loopLogger.addAppender(logs);
    fixture = JobApiFixture.start();
  }

  @AfterEach
  void stop() {
    fixture.close();
    loopLogger.detachAppender(logs);
    loopLogger.setLevel(levelBefore);
  }

  @Test
  void shouldWarnOnceWhileTheOutboxIsGoneAndSayOnceWhenItIsBack() {
    fixture.execute("ALTER TABLE outbox RENAME TO outbox_away");
    await().atMost(Duration.ofSeconds(30)).until(() -> relayEvents(Level.DEBUG).size() >= 3);
    fixture.execute(
        "INSERT INTO outbox_away (topic, record_key, payload, created_at) VALUES ('"
            + fixture.topics.jobsSubmitted().name()
            + "', 'job-waiting', '{}', now())");

    fixture.execute("ALTER TABLE outbox_away RENAME TO outbox");

    String topic = fixture.topics.jobsSubmitted().name();
    List<ConsumerRecord<String, String>> published =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> KafkaTestClients.readAll(topic), records -> !records.isEmpty());
    assertThat(published).extracting(ConsumerRecord::key).containsExactly("job-waiting");
    await().atMost(Duration.ofSeconds(10)).until(() -> relayEvents(Level.INFO).size() == 1);
    assertThat(relayEvents(Level.WARN)).hasSize(1);
    assertThat(relayEvents(Level.WARN).getFirst().getFormattedMessage())
        .contains("outbox relay failed");
    assertThat(relayEvents(Level.INFO).getFirst().getFormattedMessage())
        .contains("outbox relay is working again");
  }

  private List<ILoggingEvent> relayEvents(Level level) {
    return List.copyOf(logs.list).stream()
        .filter(e -> e.getLevel() == level)
        .filter(e -> e.getFormattedMessage().startsWith("outbox relay"))
        .toList();
  }
}
