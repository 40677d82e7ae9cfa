package io.sluice.dispatcher.internal;

import io.sluice.schemas.json.JsonSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Serdes and store builders of the dispatcher's own records, for the topology. */
public final class StateSerdes {
  /** The value of the dispatcher's deadlines topic. */
  public static final JsonSerde<JobDeadline> JOB_DEADLINE = JsonSerde.of(JobDeadline.class);

  private StateSerdes() {}

  /**
   * The deadline index ({@link DeadlineIndex}) in {@code store}: changelogged, in deadline order.
   */
  public static StoreBuilder<?> deadlineIndex(KeyValueBytesStoreSupplier store) {
    return Stores.keyValueStoreBuilder(store, DeadlineKey.SERDE, Serdes.String());
  }
}
