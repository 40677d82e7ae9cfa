package io.sluice.jobapi.outbox;

/**
 * A Kafka record waiting in the outbox table to be published.
 *
 * @param id its row ID (publication order)
 * @param topic the topic it goes to
 * @param key the record key (the job ID)
 * @param payload the record value, JSON text exactly as committed
 */
public record OutboxRecord(long id, String topic, String key, String payload) {}
