package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.task.Lane;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {
  @Test
  void shouldNameTopicsAsTheArchitectureSays() {
    TopicCatalog topics = TopicCatalog.DEFAULT;

    assertThat(topics.jobsSubmitted().name()).isEqualTo("sluice.jobs.submitted");
    assertThat(topics.jobsControl().name()).isEqualTo("sluice.jobs.control");
    assertThat(topics.tasks("openai", Lane.INTERACTIVE).name())
        .isEqualTo("sluice.tasks.openai.interactive");
    assertThat(topics.tasks("anthropic", Lane.DEFERRED).name())
        .isEqualTo("sluice.tasks.anthropic.deferred");
    assertThat(topics.taskResults().name()).isEqualTo("sluice.task-results");
    assertThat(topics.jobsEvents().name()).isEqualTo("sluice.jobs.events");
    assertThat(topics.deadLetters().name()).isEqualTo("sluice.dead-letters");
  }

  @Test
  void shouldListRealtimeLanesHighestPriorityFirst() {
    assertThat(TopicCatalog.DEFAULT.realtimeLanes("openai"))
        .extracting(Topic::name)
        .containsExactly(
            "sluice.tasks.openai.interactive",
            "sluice.tasks.openai.standard",
            "sluice.tasks.openai.bulk");
  }

  @Test
  void shouldIsolateTestsByPrefix() {
    assertThat(new TopicCatalog("t42").taskResults().name()).isEqualTo("t42.task-results");
  }

  @Test
  void shouldRefuseProviderNamesThatWouldBreakTopicNames() {
    assertThatThrownBy(() -> TopicCatalog.DEFAULT.tasks("Open AI", Lane.BULK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Open AI");
  }
}
