package io.sluice.schemas.topic;

import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with the types of its keys and values.
 *
 * @param name the full topic name
 * @param keySerde how keys are written
 * @param valueSerde how values are written
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
