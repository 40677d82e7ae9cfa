package io.sluice.dispatcher.completion;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobProgressTest {
  private static final JsonSerde<JobProgress> SERDE = JsonSerde.of(JobProgress.class);
  private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");

  @Test
  void shouldReadAnEntryWrittenBeforeDeadlinesPlacementsAndCosts() {
    String old =
        "{\"started\":true,\"finished_task_ids\":[\"j.c\"],\"terminal_status\":\"succeeded\","
            + "\"finished_at\":\"2025-06-01T12:00:00Z\",\"terminal\":true}";

    JobProgress progress = SERDE.fromBytes(old.getBytes(StandardCharsets.UTF_8));

    assertThat(progress.terminalStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(progress.hasFinished("j.c")).isTrue();
    assertThat(progress.results()).isEmpty();
    assertThat(progress.placements()).isEmpty();
    assertThat(progress.usage()).isEqualTo(TokenUsage.NONE);
    assertThat(progress.deadline()).isNull();
  }

  @Test
  void shouldKeepEverythingThroughItsStore() {
    var progress =
        new JobProgress(
            true,
            Set.of("j.c"),
            JobStatus.EXPIRED,
            AT,
            AT.minusSeconds(5),
            new Placement(Placement.Stage.IN_PROVIDER_BATCH, "batch_1", 2, AT),
            Set.of("in_provider_batch.2.batch_1"),
            Set.of("j.c|SUCCEEDED|" + AT + "|1||"),
            new BigDecimal("0.25"),
            new TokenUsage(3, 4),
            2);

    assertThat(SERDE.fromBytes(SERDE.toBytes(progress))).isEqualTo(progress);
  }
}
