package io.sluice.launcher.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops one ERROR the local Kafka broker logs although nothing failed: with transactions v2
 * (KIP-890, KAFKA-18202) the broker refuses a transactional batch that arrives before the partition
 * knows the producer, with a retriable {@code OutOfOrderSequenceException} ("Expected sequence 0
 * for transactions v2 idempotent producer with no existing state"); the producer retries and the
 * write succeeds. The dispatcher's exactly-once transactions hit it now and then, and it would
 * otherwise print as a stack trace in the middle of {@code sluice demo}. Every other event,
 * including every other sequence error, passes.
 */
public final class RetriedAppendFilter extends Filter<ILoggingEvent> {
  static final String LOGGER = "kafka.server.ReplicaManager";
  static final String EXCEPTION = "org.apache.kafka.common.errors.OutOfOrderSequenceException";
  static final String MESSAGE = "transactions v2 idempotent producer with no existing state";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    IThrowableProxy thrown = event.getThrowableProxy();
    boolean retried =
        LOGGER.equals(event.getLoggerName())
            && thrown != null
            && EXCEPTION.equals(thrown.getClassName())
            && thrown.getMessage() != null
            && thrown.getMessage().contains(MESSAGE);
    return retried ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
