package io.sluice.embedded;

/** A running Kafka cluster that clients can reach. Closing stops it if this process started it. */
public interface KafkaEndpoint extends AutoCloseable {

  /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:9092}. */
  String bootstrapServers();

  @Override
  void close();
}
