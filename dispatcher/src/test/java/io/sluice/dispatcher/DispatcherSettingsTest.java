package io.sluice.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.lane.DeadlinePolicy;
import io.sluice.schemas.model.ModelCatalog;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DispatcherSettingsTest {
  private static final Path STATE = Path.of("/tmp/state");

  @Test
  void shouldDefaultToProductionNamesAndLowLatencyCommits() {
    var settings = DispatcherSettings.builder("localhost:9092", STATE).build();

    assertThat(settings.topicPrefix()).isEqualTo("sluice");
    assertThat(settings.applicationId()).isEqualTo("sluice-dispatcher");
    assertThat(settings.models().names()).contains("gpt-4o-mini", "fast");
    assertThat(settings.commitInterval()).isLessThanOrEqualTo(Duration.ofMillis(100));
    assertThat(settings.topics().jobsSubmitted().name()).isEqualTo("sluice.jobs.submitted");
  }

  @Test
  void shouldDeriveTheApplicationIdFromTheTopicPrefix() {
    assertThat(builder().topicPrefix("staging").build().applicationId())
        .isEqualTo("staging-dispatcher");
    assertThat(builder().topicPrefix("staging").applicationId("explicit").build().applicationId())
        .isEqualTo("explicit");
  }

  @Test
  void shouldKeepDedupEntriesForAnHourAndSweepThemEveryMinuteByDefault() {
    var settings = builder().build();

    assertThat(settings.dedupRetention()).isEqualTo(Duration.ofHours(1));
    assertThat(settings.sweepInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(builder().dedupRetention(Duration.ofSeconds(20)).build().sweepInterval())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(builder().dedupRetention(Duration.ofSeconds(1)).build().sweepInterval())
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void shouldUseTheProvidersBatchWindowAndCheckDeadlinesEverySecondByDefault() {
    var settings = builder().build();

    assertThat(settings.deadlines()).isEqualTo(DeadlinePolicy.DEFAULT);
    assertThat(settings.expiryCheckInterval()).isEqualTo(Duration.ofSeconds(1));
    var custom =
        builder()
            .batchWindow(Duration.ofHours(2))
            .batchMargin(Duration.ofMinutes(5))
            .realtimeLead(Duration.ofMinutes(10))
            .expiryCheckInterval(Duration.ofMillis(200))
            .build();
    assertThat(custom.deadlines())
        .isEqualTo(
            new DeadlinePolicy(Duration.ofHours(2), Duration.ofMinutes(5), Duration.ofMinutes(10)));
    assertThat(custom.expiryCheckInterval()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void shouldNameTheSettingThatIsWrong() {
    assertInvalid(DispatcherSettings.builder(" ", STATE), "bootstrapServers");
    assertInvalid(DispatcherSettings.builder("k:9092", null), "stateDir");
    assertInvalid(builder().topicPrefix("no spaces"), "topicPrefix");
    assertInvalid(builder().applicationId(""), "applicationId");
    assertInvalid(builder().models(ModelCatalog.builder().build()), "models");
    assertInvalid(builder().partitions(0), "partitions");
    assertInvalid(builder().replicationFactor((short) 0), "replicationFactor");
    assertInvalid(builder().commitInterval(Duration.ZERO), "commitInterval");
    assertInvalid(builder().commitInterval(Duration.ofHours(1)), "commitInterval");
    assertInvalid(builder().streamThreads(0), "streamThreads");
    assertInvalid(builder().dedupRetention(Duration.ofMillis(999)), "dedupRetention");
    assertInvalid(builder().dedupRetention(null), "dedupRetention");
    assertInvalid(builder().batchWindow(Duration.ZERO), "batchWindow");
    assertInvalid(builder().batchWindow(null), "batchWindow");
    assertInvalid(builder().batchMargin(Duration.ofMinutes(-1)), "batchMargin");
    assertInvalid(builder().realtimeLead(Duration.ofMinutes(-1)), "realtimeLead");
    assertInvalid(builder().expiryCheckInterval(Duration.ZERO), "expiryCheckInterval");
    assertInvalid(builder().expiryCheckInterval(Duration.ofMinutes(2)), "expiryCheckInterval");
    assertInvalid(builder().expiryCheckInterval(null), "expiryCheckInterval");
  }

  @Test
  void shouldRefuseAProviderNameThatCannotBeATopicName() {
    var models = ModelCatalog.builder().model("m", "Open AI").build();

    assertInvalid(builder().models(models), "models");
  }

  private static DispatcherSettings.Builder builder() {
    return DispatcherSettings.builder("localhost:9092", STATE);
  }

  private static void assertInvalid(DispatcherSettings.Builder builder, String setting) {
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + setting + "'");
  }
}
