package io.sluice.jobapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobRequest;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookPayloadsTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void shouldCarryAStructuredOutputAndItsRepairsBesideTheOutput() throws IOException {
    JsonNode parsed = Json.mapper().readTree("{\"city\":\"Oslo\"}");

    JsonNode data = payload(succeeded("{\"city\":\"Oslo\"}", parsed, 1)).get("data");

    assertThat(data.get("output").asText()).isEqualTo("{\"city\":\"Oslo\"}");
    assertThat(data.get("output_json")).isEqualTo(parsed);
    assertThat(data.get("repairs").asInt()).isEqualTo(1);
  }

  @Test
  void shouldLeaveThemOutForAJobWithoutASchema() throws IOException {
    JsonNode data = payload(succeeded("cba", null, null)).get("data");

    assertThat(data.get("output").asText()).isEqualTo("cba");
    assertThat(data.has("output_json")).isFalse();
    assertThat(data.has("repairs")).isFalse();
  }

  private static JsonNode payload(Job job) throws IOException {
    return Json.mapper().readTree(WebhookPayloads.of(EventType.JOB_SUCCEEDED, job, NOW));
  }

  private static Job succeeded(String output, JsonNode parsed, Integer repairs) {
    Job queued =
        Job.accepted(
            "job_1",
            "ten_a",
            new JobRequest(
                JobType.COMPLETION,
                new CompletionSpec("fast", List.of(ChatMessage.user("hi")), null, null, null),
                Priority.STANDARD,
                Mode.REALTIME,
                null,
                Map.of()),
            NOW);
    return queued.withOutcome(
        JobStatus.SUCCEEDED,
        new Job.JobOutcome(
            output,
            new TokenUsage(10, 4),
            "openai",
            "gpt-4o-mini",
            new BigDecimal("0.00001"),
            null,
            1,
            NOW,
            NOW,
            "ev_1",
            null,
            null,
            null,
            parsed,
            repairs),
        NOW);
  }
}
