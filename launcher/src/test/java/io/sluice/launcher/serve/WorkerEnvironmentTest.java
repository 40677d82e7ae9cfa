package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.workers.WorkerSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A workers pool sized from SLUICE_WORKER_CONCURRENCY and SLUICE_WORKER_RECORDS_PER_POLL. */
class WorkerEnvironmentTest {
  private static final Map<String, String> BASE = Map.of("SLUICE_KAFKA_BOOTSTRAP", "kafka:9092");

  private static WorkerSettings settings(Map<String, String> variables) {
    Environment env = new Environment(variables);
    WorkerSettings.Builder pool = ServeCommand.workerSettings(env, "openai");
    env.check();
    return pool.build();
  }

  @Test
  void shouldTakeBatchesOfUpToEightRecordsBetweenSixteenSlotsByDefault() {
    WorkerSettings settings = settings(BASE);

    assertThat(settings.bootstrapServers()).isEqualTo("kafka:9092");
    assertThat(settings.topicPrefix()).isEqualTo("sluice");
    assertThat(settings.concurrency()).isEqualTo(16);
    assertThat(settings.recordsPerPoll()).isEqualTo(8);
    assertThat(settings.consumersPerLane()).isEqualTo(2);
  }

  @Test
  void shouldTakeOneRecordAtATimeWhenToldWithAConsumerPerSlot() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_WORKER_CONCURRENCY", "8");
    env.put("SLUICE_WORKER_RECORDS_PER_POLL", "1");

    WorkerSettings settings = settings(env);

    assertThat(settings.concurrency()).isEqualTo(8);
    assertThat(settings.recordsPerPoll()).isEqualTo(1);
    assertThat(settings.consumersPerLane()).isEqualTo(8);
  }

  @Test
  void shouldNameEachVariableWithABadValue() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_WORKER_CONCURRENCY", "0");
    env.put("SLUICE_WORKER_RECORDS_PER_POLL", "many");

    assertThatThrownBy(() -> settings(env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_WORKER_CONCURRENCY must be a whole number from 1 to 1024")
        .hasMessageContaining(
            "SLUICE_WORKER_RECORDS_PER_POLL must be a whole number from 1 to 500");
  }
}
