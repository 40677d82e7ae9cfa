package io.sluice.launcher.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;

class RetriedAppendFilterTest {
  private static final String RETRIED =
      "Invalid sequence number for producer 2 at offset 49 in partition"
          + " sluice-dispatcher-job-progress-changelog-5: 2 (incoming seq. number). Expected sequence"
          + " 0 for transactions v2 idempotent producer with no existing state.";

  private final LoggerContext context = new LoggerContext();
  private final RetriedAppendFilter filter = new RetriedAppendFilter();

  private LoggingEvent event(String logger, Throwable thrown) {
    Logger source = context.getLogger(logger);
    return new LoggingEvent(
        Logger.class.getName(),
        source,
        Level.ERROR,
        "Error processing append operation",
        thrown,
        null);
  }

  @Test
  void shouldDropTheBrokersRetriedTransactionsV2SequenceError() {
    assertThat(
            filter.decide(
                event("kafka.server.ReplicaManager", new OutOfOrderSequenceException(RETRIED))))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void shouldKeepEveryOtherError() {
    assertThat(
            filter.decide(
                event(
                    "kafka.server.ReplicaManager",
                    new OutOfOrderSequenceException(
                        "Out of order sequence number for producer 1674: 51 (incoming seq. number),"
                            + " 49 (current end sequence number)"))))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(event("kafka.server.ReplicaManager", new IllegalStateException(RETRIED))))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(event("io.sluice.dispatcher", new OutOfOrderSequenceException(RETRIED))))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(event("kafka.server.ReplicaManager", null)))
        .isEqualTo(FilterReply.NEUTRAL);
  }
}
