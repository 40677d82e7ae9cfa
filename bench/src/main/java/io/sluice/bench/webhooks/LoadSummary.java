package io.sluice.bench.webhooks;

import java.util.List;
import java.util.Locale;

/**
 * The webhook load runs as a few lines for the terminal, each against the runs without endpoints
 * taken together ({@link LoadRun#baseline(List)}) and against its neighbours without; then each
 * kind of run with webhooks, all its runs together, against all runs without ({@link KindRatios}).
 */
public final class LoadSummary {
  /** Issue 10: intake and processing within 10% of the run without webhooks. */
  public static final double TOLERANCE = 0.10;

  private LoadSummary() {}

  public static String of(List<LoadRun> runs) {
    StringBuilder out = new StringBuilder("== webhooks-load\n");
    LoadRun baseline = LoadRun.baseline(runs);
    List<LoadRun> rows = new java.util.ArrayList<>(runs);
    rows.add(baseline);
    for (LoadRun run : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-10s %s: intake %.1f jobs/s (%.0f%%), processed %.1f jobs/s (%.0f%%),"
                  + " to 90%% %.1f jobs/s (%.0f%%)%s; succeeded %,d/%,d; peak heap %d MiB%n",
              run.name(),
              run.endpoints().isEmpty() ? "no endpoints" : String.join("+", run.endpoints()),
              run.intakePerSecond(),
              100 * run.intakeRatio(baseline),
              run.processedPerSecond(),
              100 * run.processingRatio(baseline),
              run.ninetyPercentPerSecond(),
              100 * run.ninetyPercentRatio(baseline),
              run.endpoints().isEmpty()
                  ? ""
                  : run.within(baseline, TOLERANCE) ? " within 10%" : " NOT within 10%",
              run.succeeded(),
              run.jobs(),
              run.peakHeapMib()));
      if (!run.endpoints().isEmpty() && runs.contains(run)) {
        LoadRun neighbours = LoadRun.adjacentBaseline(runs, runs.indexOf(run));
        out.append(
            String.format(
                Locale.ROOT,
                "             against the runs without webhooks next to it: intake %.0f%%,"
                    + " processed %.0f%%, to 90%% %.0f%%%s%n",
                100 * run.intakeRatio(neighbours),
                100 * run.processingRatio(neighbours),
                100 * run.ninetyPercentRatio(neighbours),
                run.within(neighbours, TOLERANCE) ? " within 10%" : " NOT within 10%"));
      }
      if (run.endpoints().contains("fast")) {
        Latencies fast = run.fastLatency();
        out.append(
            String.format(
                Locale.ROOT,
                "             fast endpoint: %,d/%,d received, finish to receipt p50 %d ms,"
                    + " p99 %d ms, max %d ms; jobs finished after intake: p50 %d ms, p99 %d ms%n"
                    + "             p99 by 10 s of finish: %s%n",
                run.fastReceived(),
                run.jobs(),
                fast.p50Ms(),
                fast.p99Ms(),
                fast.maxMs(),
                run.fastAfterIntake().p50Ms(),
                run.fastAfterIntake().p99Ms(),
                run.fastByTenSeconds().stream()
                    .map(period -> Long.toString(period.p99Ms()))
                    .collect(java.util.stream.Collectors.joining(" "))));
      }
      if (run.endpoints().contains("slow")) {
        out.append(
            String.format(
                Locale.ROOT,
                "             slow endpoint (1 s): %,d received during the run%n",
                run.slowReceivedDuringRun()));
      }
      if (run.endpoints().contains("down")) {
        out.append(
            String.format(
                Locale.ROOT,
                "             down endpoint: %,d attempts during the run; %,d deliveries,"
                    + " %,d not delivered%n",
                run.downAttempts(),
                run.downDeliveries(),
                run.downUndelivered()));
      }
    }
    appendKinds(out, KindRatios.of(runs));
    return out.toString();
  }

  private static void appendKinds(StringBuilder out, List<KindRatios> kinds) {
    if (kinds.isEmpty()) {
      return;
    }
    out.append(
        "  all runs of a kind against all runs without webhooks (jobs over summed times):\n");
    for (KindRatios kind : kinds) {
      out.append(
          String.format(
              Locale.ROOT,
              "    %-10s %s: intake %.0f%%, processed %.0f%%, to 90%% %.0f%%%s%n"
                  + "               each against its neighbours: intake %s, processed %s%n",
              kind.kind(),
              String.join(", ", kind.runs()),
              100 * kind.intake(),
              100 * kind.processing(),
              100 * kind.processingTo90Percent(),
              kind.within10Percent() ? " within 10%" : " NOT within 10%",
              percents(kind.adjacentIntake()),
              percents(kind.adjacentProcessing())));
    }
  }

  private static String percents(List<Double> ratios) {
    return String.join(
        " ", ratios.stream().map(r -> String.format(Locale.ROOT, "%.0f%%", 100 * r)).toList());
  }
}
