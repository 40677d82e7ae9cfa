package io.sluice.bench.deferred;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobClientTest {
  private final DeferredJob job = new DeferredJob(3, "gpt-4o-mini", 120, 100);

  private String reversed() {
    return new StringBuilder(job.text().substring("reverse: ".length())).reverse().toString();
  }

  @Test
  void shouldReadTheBatchAndRealtimeCostOfADeferredJob() throws Exception {
    String body =
        """
        {"id":"job_1","status":"succeeded","mode":"deferred","output":"%s",
         "usage":{"input_tokens":120,"output_tokens":100},"provider_model":"gpt-4o-mini",
         "cost_usd":0.0000075,"realtime_cost_usd":0.000015,"finished_at":"2026-12-05T02:10:00Z",
         "placement":{"stage":"in_provider_batch","provider_batch_id":"batch_1","attempt":1}}
        """
            .formatted(reversed());
    JobOutcome outcome = JobClient.outcome(new ObjectMapper().readTree(body), job);
    assertThat(outcome.status()).isEqualTo("succeeded");
    assertThat(outcome.costUsd()).isEqualByComparingTo("0.0000075");
    assertThat(outcome.realtimeCostUsd()).isEqualByComparingTo("0.000015");
    assertThat(outcome.inputTokens()).isEqualTo(120);
    assertThat(outcome.placementStage()).isEqualTo("in_provider_batch");
    assertThat(outcome.finishedAt()).isEqualTo(Instant.parse("2026-12-05T02:10:00Z"));
    assertThat(outcome.answerMatches()).isTrue();
  }

  @Test
  void shouldLeaveTheRealtimeCostOutWhenJobApiDoesNotShowIt() throws Exception {
    String body = "{\"status\":\"failed\",\"error\":{\"code\":\"x\"}}";
    JobOutcome outcome = JobClient.outcome(new ObjectMapper().readTree(body), job);
    assertThat(outcome.realtimeCostUsd()).isNull();
    assertThat(outcome.costUsd()).isNull();
    assertThat(outcome.finishedAt()).isNull();
    assertThat(outcome.answerMatches()).isFalse();
    assertThat(outcome.errorCode()).isEqualTo("x");
  }
}
