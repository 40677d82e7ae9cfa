package io.sluice.dispatcher.internal;

import io.sluice.schemas.json.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Serdes and store builders of the dispatcher's own records, for the topology. */
public final class StateSerdes {
  /** The value of the dispatcher's deadlines topic. */
  public static final JsonSerde<JobDeadline> JOB_DEADLINE = JsonSerde.of(JobDeadline.class);

  private StateSerdes() {}

  /** The deadline index ({@link DeadlineIndex}): persistent, changelogged, in deadline order. */
  public static StoreBuilder<?> deadlineIndex(String name) {
    return Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(name), DeadlineKey.SERDE, Serdes.String());
  }
}
