package io.sluice.workers.internal;

import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;

/**
 * What a task's successful provider calls used so far: their tokens and cost summed (a repair call
 * is billed like the first), and the model that answered last. The cost is unknown ({@code null})
 * once any call's cost is.
 *
 * @param calls successful calls counted
 * @param usage their tokens
 * @param costUsd their cost, or {@code null} when unknown
 * @param model the model that answered the last of them
 */
record CallTotals(int calls, TokenUsage usage, BigDecimal costUsd, String model) {
  static final CallTotals NONE = new CallTotals(0, TokenUsage.NONE, BigDecimal.ZERO, null);

  CallTotals plus(TokenUsage callUsage, BigDecimal callCostUsd, String callModel) {
    BigDecimal cost = costUsd == null || callCostUsd == null ? null : costUsd.add(callCostUsd);
    return new CallTotals(calls + 1, usage.plus(callUsage), cost, callModel);
  }
}
