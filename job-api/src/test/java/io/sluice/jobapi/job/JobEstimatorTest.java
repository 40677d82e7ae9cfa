package io.sluice.jobapi.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sluice.jobapi.mapreduce.CatalogPrices;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.model.ModelCatalog;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a job reserves of its tenant's token budget: one call's worst case, and for structured
 * output every repair call it may make on top.
 */
class JobEstimatorTest {
  private final JobEstimator estimator =
      new JobEstimator(ModelCatalog.defaults(), CatalogPrices.registered());

  private static JobRequest request(Integer maxTokens, boolean schema, Integer maxRepairs) {
    return new JobRequest(
        JobType.COMPLETION,
        new CompletionSpec(
            "gpt-4o-mini",
            List.of(ChatMessage.user("Where is the Eiffel Tower?")),
            maxTokens,
            0.0,
            schema ? JsonNodeFactory.instance.objectNode().put("type", "object") : null,
            maxRepairs),
        Priority.STANDARD,
        Mode.REALTIME,
        null,
        Map.of());
  }

  @Test
  void shouldReserveOneCallForAJobWithoutASchema() {
    JobRequest plain = request(100, false, null);

    assertThat(estimator.reservation(plain, null)).isEqualTo(estimator.estimate(plain, null));
    assertThat(estimator.estimate(plain, null).outputTokens()).isEqualTo(100);
  }

  @Test
  void shouldReserveEveryRepairCallOfAStructuredJob() {
    JobRequest structured = request(100, true, 2);
    JobEstimator.Estimate one = estimator.estimate(structured, null);

    JobEstimator.Estimate reserved = estimator.reservation(structured, null);

    long repair1 = one.inputTokens() + (100 + JobEstimator.REPAIR_PROMPT_TOKENS);
    long repair2 = one.inputTokens() + 2 * (100 + JobEstimator.REPAIR_PROMPT_TOKENS);
    assertThat(reserved.inputTokens()).isEqualTo(one.inputTokens() + repair1 + repair2);
    assertThat(reserved.outputTokens()).isEqualTo(3 * 100);
  }

  @Test
  void shouldReserveTheDefaultRepairsWhenTheJobGivesNoneAndNothingMoreWithZero() {
    JobEstimator.Estimate one = estimator.estimate(request(50, true, 0), null);

    assertThat(estimator.reservation(request(50, true, 0), null)).isEqualTo(one);
    assertThat(estimator.reservation(request(50, true, null), null).outputTokens())
        .isEqualTo(3 * 50);
  }
}
