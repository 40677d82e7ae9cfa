package io.sluice.bench.intake;

import java.util.Map;
import java.util.Set;

/**
 * A step followed to its end (issue 14's instrumentation cost): from the step's first request until
 * every job of the platform is terminal, what the platform spent. With the platform drained before
 * the step, that is exactly the cost of taking and running the step's jobs, and the step's jobs
 * over the elapsed time is the end-to-end throughput once the intake outruns processing.
 *
 * @param after the step's name
 * @param jobs the step's accepted jobs
 * @param seconds from the step's start until no job was queued or running (or the limit)
 * @param drained whether every job ended within the limit
 * @param jobsLeft jobs still queued or running when the wait stopped
 * @param jobsPerSecond {@code jobs / seconds}: end-to-end throughput
 * @param platformCpuMillisPerJob the platform's CPU (its JVM and PostgreSQL) per job
 * @param cpu the CPU over the whole span
 * @param jobsByStatus the platform's job rows by status at the end
 */
public record DrainResult(
    String after,
    long jobs,
    double seconds,
    boolean drained,
    long jobsLeft,
    double jobsPerSecond,
    double platformCpuMillisPerJob,
    CpuFigures cpu,
    Map<String, Long> jobsByStatus) {

  /** Job states that are not yet final. */
  static final Set<String> WAITING = Set.of("queued", "running");

  /** Jobs of {@code byStatus} that have not ended. */
  public static long waiting(Map<String, Long> byStatus) {
    return byStatus.entrySet().stream()
        .filter(e -> WAITING.contains(e.getKey()))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** The figures of a step whose span lasted {@code cpu.wallSeconds()}. */
  public static DrainResult of(
      String after, long jobs, CpuFigures cpu, Map<String, Long> jobsByStatus) {
    long left = waiting(jobsByStatus);
    double seconds = cpu.wallSeconds();
    return new DrainResult(
        after,
        jobs,
        seconds,
        left == 0,
        left,
        seconds > 0 ? jobs / seconds : 0,
        jobs > 0 ? 1000 * cpu.platformSeconds() / jobs : 0,
        cpu,
        jobsByStatus);
  }
}
