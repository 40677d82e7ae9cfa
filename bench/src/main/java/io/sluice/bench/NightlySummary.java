package io.sluice.bench;

import io.sluice.bench.deferred.BatchQueueFigures;
import io.sluice.bench.deferred.DeferredFigures;
import java.util.Locale;
import java.util.Map;

/** The nightly run's figures as a few lines for the terminal. */
final class NightlySummary {
  private NightlySummary() {}

  static String of(Map<String, Object> result) {
    DeferredFigures f = (DeferredFigures) result.get("figures");
    StringBuilder out = new StringBuilder();
    out.append("== ").append(result.get("scenario")).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "  jobs %,d: succeeded %,d, failed %,d, expired %,d, unfinished %,d;"
                + " wrong answers %,d; realtime fallbacks %,d%n",
            f.jobs(),
            f.succeeded(),
            f.failed(),
            f.expired(),
            f.unfinished(),
            f.wrongAnswers(),
            f.realtimeFallbacks()));
    if (!f.errorsByCode().isEmpty()) {
      out.append("  errors by code: ").append(f.errorsByCode()).append('\n');
    }
    out.append(
        String.format(
            Locale.ROOT,
            "  cost $%.4f vs realtime $%.4f: %.3f× (goal ≤ %.2f×: %s)%s%n",
            f.costUsd(),
            f.realtimeCostUsd(),
            f.costRatio(),
            DeferredFigures.COST_GOAL,
            f.costGoalMet() ? "met" : "NOT met",
            f.realtimeCostsComputed() == 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    " [%,d realtime prices computed from usage, not reported by job-api]",
                    f.realtimeCostsComputed())));
    out.append(
        String.format(
            Locale.ROOT,
            "  wall %.1f s (submitting %.1f s); batch-submitter peak RSS %s MiB%n",
            f.wallSeconds(),
            f.submitSeconds(),
            result.get("batch_submitter_peak_rss_mib")));
    out.append(
        String.format(
            Locale.ROOT,
            "  provider batches %,d, lines %,d, items resubmitted %,d%n",
            f.batchesCreated(),
            f.linesCreated(),
            f.itemsResubmitted()));
    for (BatchQueueFigures q : f.queues()) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-9s batches %,d, lines %,d, queue refusals %,d, creation refusals %,d, %s%n",
              q.api(),
              q.batchesCreated(),
              q.linesCreated(),
              q.queueRefusals(),
              q.creationRefusals(),
              queuePeak(q)));
    }
    return out.toString();
  }

  /** OpenAI limits enqueued tokens per model, Anthropic queued requests per account. */
  private static String queuePeak(BatchQueueFigures q) {
    if (q.enqueuedTokensLimit() != Long.MAX_VALUE || q.queuedRequestsLimit() == Long.MAX_VALUE) {
      return String.format(
          Locale.ROOT,
          "peak enqueued tokens (%s) %,d of %s",
          q.model(),
          q.peakEnqueuedTokens(),
          limit(q.enqueuedTokensLimit()));
    }
    return String.format(
        Locale.ROOT,
        "peak queued requests %,d of %s",
        q.peakQueuedRequests(),
        limit(q.queuedRequestsLimit()));
  }

  private static String limit(long value) {
    return value == Long.MAX_VALUE ? "unlimited" : String.format(Locale.ROOT, "%,d", value);
  }
}
