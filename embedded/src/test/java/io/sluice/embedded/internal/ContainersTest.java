package io.sluice.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContainersTest {

  @Test
  void shouldNameBrokerSettingsTheWayTheApacheKafkaImageReadsThem() {
    assertThat(Containers.toEnv("share.coordinator.state.topic.replication.factor"))
        .isEqualTo("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR");
    assertThat(Containers.toEnv("a_b.c")).isEqualTo("KAFKA_A__B_C");
  }
}
