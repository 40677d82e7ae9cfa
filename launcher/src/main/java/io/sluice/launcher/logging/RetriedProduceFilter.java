package io.sluice.launcher.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops the Kafka producer's WARN for a produce error it is about to retry ("Got error produce
 * response ... retrying (N attempts left). Error: CONCURRENT_TRANSACTIONS"). A retried send is no
 * failure: a send that finally fails reaches the application's callback, which reports it. The
 * exactly-once dispatcher meets retriable errors at every commit under load
 * (CONCURRENT_TRANSACTIONS, transactions-v2 OUT_OF_ORDER_SEQUENCE_NUMBER) and every producer meets
 * them while a broker is away (NETWORK_EXCEPTION, NOT_LEADER_OR_FOLLOWER), dozens of lines a
 * second. The same goes for the line the producer adds when such an error means its metadata is
 * stale ("Received invalid metadata error in produce request on partition ... Going to request
 * metadata update now", a broker back from a restart that no longer leads a partition): the
 * producer refreshes its metadata and the batch is retried or, past its retries, failed to the
 * callback. Every other event of the producer passes, among them the unknown-topic warning.
 */
public final class RetriedProduceFilter extends Filter<ILoggingEvent> {
  static final String LOGGER = "org.apache.kafka.clients.producer.internals.Sender";
  static final String RETRYING = ", retrying (";
  static final String STALE_METADATA = "Received invalid metadata error in produce request";

  @Override
  public FilterReply decide(ILoggingEvent event) {
    boolean retried =
        LOGGER.equals(event.getLoggerName())
            && event.getLevel() == Level.WARN
            && event.getFormattedMessage() != null
            && (event.getFormattedMessage().contains(RETRYING)
                || event.getFormattedMessage().contains(STALE_METADATA));
    return retried ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
