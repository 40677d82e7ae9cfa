package io.sluice.bench.intake;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One step of the intake benchmark: what was offered, what came of it, what it cost.
 *
 * @param name {@code warm-up} or {@code step-<rate>}
 * @param offeredPerSecond the schedule's rate
 * @param durationSeconds how long the step offered requests
 * @param scheduled requests in the schedule
 * @param sent requests whose bytes went out
 * @param acceptedPerSecond {@code 202} responses over the step's duration
 * @param outcomes requests by outcome ({@code accepted}, {@code rate_limited}, ...)
 * @param corrected {@code 202} latency from the intended send time (coordinated omission corrected)
 * @param serviceTime {@code 202} latency from the moment the request was written (uncorrected)
 * @param sendLag how late the generator wrote each request after its intended time
 * @param peakConnections the most connections the generator had open
 * @param connectErrors connections that could not be opened
 * @param cpu CPU seconds spent by the generator and the platform over the step and its drain
 * @param jobsByStatus the platform's job rows by status once the step was drained
 */
public record StepResult(
    String name,
    double offeredPerSecond,
    double durationSeconds,
    long scheduled,
    long sent,
    double acceptedPerSecond,
    Map<String, Long> outcomes,
    LatencyFigures corrected,
    LatencyFigures serviceTime,
    LatencyFigures sendLag,
    int peakConnections,
    long connectErrors,
    CpuFigures cpu,
    Map<String, Long> jobsByStatus) {

  /** Summarises a recorded step. */
  public static StepResult of(
      String name,
      Schedule schedule,
      StepRecorder recorder,
      CpuFigures cpu,
      Map<String, Long> jobsByStatus) {
    double seconds = schedule.duration().toNanos() / 1e9;
    Map<String, Long> outcomes = new LinkedHashMap<>();
    recorder
        .outcomes()
        .forEach((outcome, count) -> outcomes.put(outcome.name().toLowerCase(Locale.ROOT), count));
    return new StepResult(
        name,
        schedule.ratePerSecond(),
        seconds,
        schedule.count(),
        recorder.sent(),
        recorder.count(Outcome.ACCEPTED) / seconds,
        outcomes,
        recorder.corrected(),
        recorder.serviceTime(),
        recorder.sendLag(),
        recorder.peakConnections(),
        recorder.connectErrors(),
        cpu,
        jobsByStatus);
  }

  public long accepted() {
    return outcomes.getOrDefault("accepted", 0L);
  }

  /** Every request that did not end in a {@code 202}. */
  public long notAccepted() {
    return scheduled - accepted();
  }
}
