package io.sluice.bench.deferred;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What {@code GET /v1/jobs/{id}} said about one job at the end of the run.
 *
 * @param status {@code succeeded}, {@code failed}, {@code expired}, or a non-terminal status
 * @param costUsd what was billed, or {@code null}
 * @param realtimeCostUsd the same usage at the realtime price (deferred work only), or {@code null}
 * @param providerModel the provider's model that did the work, or {@code null}
 * @param inputTokens prompt tokens billed
 * @param outputTokens completion tokens billed
 * @param placementStage the job's last placement stage, or {@code null}
 * @param finishedAt when it became terminal, or {@code null}
 * @param answerMatches whether the output is the simulator's answer to the prompt
 * @param errorCode the error code of a failed or expired job, or {@code null}
 */
public record JobOutcome(
    String status,
    BigDecimal costUsd,
    BigDecimal realtimeCostUsd,
    String providerModel,
    long inputTokens,
    long outputTokens,
    String placementStage,
    Instant finishedAt,
    boolean answerMatches,
    String errorCode) {

  public boolean terminal() {
    return "succeeded".equals(status) || "failed".equals(status) || "expired".equals(status);
  }
}
