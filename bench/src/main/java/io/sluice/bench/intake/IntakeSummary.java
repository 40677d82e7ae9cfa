package io.sluice.bench.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The intake benchmark's stdout: a line per step as it ends, a table at the end. */
public final class IntakeSummary {
  private static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-12s %7s %8s %7s %6s %5s %5s %5s %5s %5s | %7s %7s %7s %7s %7s | %7s %7s %7s | %5s"
              + " | %6s %6s %6s %5s | %s",
          "step",
          "offer/s",
          "202/s",
          "202",
          "429",
          "5xx",
          "other",
          "lost",
          "tmout",
          "unsnt",
          "p50",
          "p90",
          "p99",
          "p99.9",
          "max",
          "svc50",
          "svc99",
          "lag99",
          "conns",
          "genCPU",
          "apiJVM",
          "pgCPU",
          "mach%",
          "jobs by status after the step");

  private IntakeSummary() {}

  /** One step as a table row (latencies in ms, CPU in seconds over the step and its drain). */
  public static String stepLine(StepResult step) {
    Map<String, Long> outcomes = step.outcomes();
    return String.format(
        Locale.ROOT,
        "%-12s %7.0f %8.1f %7d %6d %5d %5d %5d %5d %5d | %7.2f %7.2f %7.2f %7.2f %7.1f | %7.2f"
            + " %7.2f %7.2f | %5d | %6.1f %6.1f %6.1f %5.0f | %s",
        step.name(),
        step.offeredPerSecond(),
        step.acceptedPerSecond(),
        step.accepted(),
        outcomes.getOrDefault("rate_limited", 0L),
        outcomes.getOrDefault("server_error", 0L),
        outcomes.getOrDefault("other_status", 0L),
        outcomes.getOrDefault("connection_lost", 0L),
        outcomes.getOrDefault("timed_out", 0L),
        outcomes.getOrDefault("not_sent", 0L),
        step.corrected().p50Ms(),
        step.corrected().p90Ms(),
        step.corrected().p99Ms(),
        step.corrected().p999Ms(),
        step.corrected().maxMs(),
        step.serviceTime().p50Ms(),
        step.serviceTime().p99Ms(),
        step.sendLag().p99Ms(),
        step.peakConnections(),
        step.cpu().generatorSeconds(),
        step.cpu().platformJvmSeconds(),
        step.cpu().platformPostgresSeconds(),
        100 * step.cpu().machineBusyShare(),
        step.jobsByStatus());
  }

  /** A step followed until every job ended: end-to-end throughput and CPU per job. */
  public static String drainLine(DrainResult drain) {
    return String.format(
        Locale.ROOT,
        "  %s to the last job's end: %s after %.1f s, %d jobs, %.1f jobs/s end to end; platform"
            + " CPU %.1f s (JVM %.1f, PostgreSQL %.1f) = %.2f ms per job; machine %.0f%% busy",
        drain.after(),
        drain.drained() ? "drained" : "NOT drained (" + drain.jobsLeft() + " left)",
        drain.seconds(),
        drain.jobs(),
        drain.jobsPerSecond(),
        drain.cpu().platformSeconds(),
        drain.cpu().platformJvmSeconds(),
        drain.cpu().platformPostgresSeconds(),
        drain.platformCpuMillisPerJob(),
        100 * drain.cpu().machineBusyShare());
  }

  /** The result of the check that every 202 is a committed job. */
  public static String committedLine(CommittedCheck check) {
    return String.format(
        Locale.ROOT,
        "  every 202 committed: %s (%d responses, %d distinct job IDs, %d found in PostgreSQL,"
            + " %d missing%s)",
        check.holds() ? "yes" : "NO",
        check.acceptedResponses(),
        check.distinctIds(),
        check.found(),
        check.missing(),
        check.missingExamples().isEmpty() ? "" : ", e.g. " + check.missingExamples());
  }

  /** The whole scenario: the table, the stop, the check. */
  @SuppressWarnings("unchecked")
  public static String of(Map<String, Object> result) {
    List<String> lines = new ArrayList<>();
    lines.add("== intake (sluice local in a child JVM; latencies in ms, CPU in s)");
    lines.add(HEADER);
    Object warmUp = result.get("warm_up");
    if (warmUp instanceof StepResult step) {
      lines.add(stepLine(step));
    }
    for (StepResult step : (List<StepResult>) result.get("steps")) {
      lines.add(stepLine(step));
    }
    Object stopped = result.get("stopped_after");
    lines.add(
        stopped == null
            ? "  every step accepted at least 90% of its offered jobs"
            : "  stopped after " + stopped + ": it accepted less than 90% of its offered jobs");
    Object check = result.get("committed_check");
    if (check instanceof CommittedCheck committed) {
      lines.add(committedLine(committed));
    }
    lines.add(
        "  p50..max: from each request's intended send time to its 202 (coordinated omission"
            + " corrected);");
    lines.add(
        "  svc: from the moment it was written; lag99: how late the generator wrote it (p99).");
    return String.join(System.lineSeparator(), lines);
  }

  /** The header of {@link #stepLine} rows. */
  public static String header() {
    return HEADER;
  }
}
