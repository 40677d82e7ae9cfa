package io.sluice.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class RetriedProduceFilterTest {
  private static final String SENDER = "org.apache.kafka.clients.producer.internals.Sender";
  private static final String RETRIED =
      "[Producer clientId=sluice-dispatcher-1-producer, transactionalId=sluice-dispatcher-1] Got"
          + " error produce response with correlation id {} on topic-partition {}, retrying ({}"
          + " attempts left). Error: {}";

  private final LoggerContext context = new LoggerContext();
  private final RetriedProduceFilter filter = new RetriedProduceFilter();

  private LoggingEvent event(String logger, Level level, String message, Object... arguments) {
    return new LoggingEvent(
        Logger.class.getName(), context.getLogger(logger), level, message, null, arguments);
  }

  @Test
  void shouldDropTheProducersWarningAboutAProduceErrorItRetries() {
    assertThat(
            filter.decide(
                event(
                    SENDER,
                    Level.WARN,
                    RETRIED,
                    204,
                    "t-5",
                    2147483646,
                    "CONCURRENT_TRANSACTIONS")))
        .isEqualTo(FilterReply.DENY);
    assertThat(filter.decide(event(SENDER, Level.WARN, RETRIED, 9, "t-0", 3, "NETWORK_EXCEPTION")))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void shouldDropTheProducersWarningThatAProduceErrorMadeItsMetadataStale() {
    assertThat(
            filter.decide(
                event(
                    SENDER,
                    Level.WARN,
                    "[Producer clientId=sluice-job-api] Received invalid metadata error in produce"
                        + " request on partition {} due to {}. Going to request metadata update"
                        + " now",
                    "sluice.jobs.submitted-5",
                    "org.apache.kafka.common.errors.NotLeaderOrFollowerException: For requests"
                        + " intended only for the leader")))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void shouldKeepEveryOtherProducerEvent() {
    assertThat(
            filter.decide(
                event(
                    SENDER,
                    Level.ERROR,
                    "[Producer clientId=p] Uncaught error in kafka producer I/O thread: ")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(event(SENDER, Level.ERROR, RETRIED, 1, "t-0", 0, "NETWORK_EXCEPTION")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(
                event(
                    SENDER,
                    Level.WARN,
                    "[Producer clientId=p] Received unknown topic or partition error in produce"
                        + " request on partition {}. The topic-partition may not exist or the user"
                        + " may not have Describe access to it",
                    "t-0")))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(event("io.sluice.workers", Level.WARN, RETRIED, 1, "t", 2, "X")))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
