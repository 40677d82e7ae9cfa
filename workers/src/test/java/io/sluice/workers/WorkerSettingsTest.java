package io.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {
  @Test
  void shouldFillInDefaults() {
    WorkerSettings settings = WorkerSettings.builder("localhost:9092", "sluice", "openai").build();

    assertThat(settings.concurrency()).isEqualTo(8);
    assertThat(settings.consumersPerLane()).isEqualTo(2);
    assertThat(settings.recordsPerPoll()).isEqualTo(8);
    assertThat(settings.account()).isEqualTo("default");
    assertThat(settings.maxAttempts()).isEqualTo(4);
    assertThat(settings.deliveryLimit()).isEqualTo(5);
    assertThat(settings.lockDuration()).isEqualTo(WorkerSettings.DEFAULT_LOCK_DURATION);
    assertThat(settings.groupId()).isEqualTo("sluice.workers.openai");
    assertThat(settings.retryPolicy().maxAttempts()).isEqualTo(4);
  }

  @Test
  void shouldDeriveTheShareGroupFromTheTopicPrefixSoTwoDeploymentsNeverShareOne() {
    WorkerSettings staging = WorkerSettings.builder("localhost:9092", "staging", "openai").build();
    WorkerSettings production =
        WorkerSettings.builder("localhost:9092", "sluice", "openai").build();

    assertThat(staging.groupId()).isEqualTo("staging.workers.openai");
    assertThat(staging.groupId()).isNotEqualTo(production.groupId());
  }

  @Test
  void shouldDefaultToEnoughConsumersPerLaneToHoldTheConcurrency() {
    WorkerSettings small =
        WorkerSettings.builder("localhost:9092", "sluice", "openai").concurrency(3).build();
    WorkerSettings large =
        WorkerSettings.builder("localhost:9092", "sluice", "openai").concurrency(64).build();

    assertThat(small.recordsPerPoll()).isEqualTo(3);
    assertThat(small.consumersPerLane()).isEqualTo(2);
    assertThat(large.recordsPerPoll()).isEqualTo(8);
    assertThat(large.consumersPerLane()).isEqualTo(8);
  }

  @Test
  void shouldNameEveryBadSetting() {
    assertThatThrownBy(
            () ->
                WorkerSettings.builder("", "bad prefix", "OpenAI")
                    .concurrency(0)
                    .consumersPerLane(2)
                    .maxAttempts(0)
                    .deliveryLimit(11)
                    .lockDuration(Duration.ofMillis(10))
                    .pollTimeout(Duration.ZERO)
                    .backoff(Duration.ofSeconds(5), Duration.ofSeconds(1), 0.5, 2)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrapServers")
        .hasMessageContaining("topicPrefix")
        .hasMessageContaining("provider")
        .hasMessageContaining("concurrency")
        .hasMessageContaining("maxAttempts")
        .hasMessageContaining("deliveryLimit")
        .hasMessageContaining("lockDuration")
        .hasMessageContaining("pollTimeout")
        .hasMessageContaining("maxBackoff")
        .hasMessageContaining("backoffMultiplier")
        .hasMessageContaining("jitter");
  }

  @Test
  void shouldAcceptAValidCustomConfiguration() {
    WorkerSettings settings =
        WorkerSettings.builder("k:9092", "t-1", "open_ai-2")
            .concurrency(2)
            .consumersPerLane(1)
            .lockDuration(Duration.ofSeconds(2))
            .deliveryLimit(3)
            .build();

    assertThat(settings.consumersPerLane()).isEqualTo(1);
    assertThat(settings.lockDuration()).isEqualTo(Duration.ofSeconds(2));
  }
}
