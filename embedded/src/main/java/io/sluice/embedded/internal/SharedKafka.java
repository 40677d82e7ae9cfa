package io.sluice.embedded.internal;

import io.sluice.embedded.KafkaEndpoint;

/**
 * The per-JVM Kafka as tests see it: closing it does nothing, the shutdown hook stops the server.
 */
public record SharedKafka(String bootstrapServers, String kind) implements KafkaEndpoint {

  @Override
  public void close() {}
}
