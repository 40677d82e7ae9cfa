package io.sluice.bench.webhooks;

import java.time.Duration;
import java.util.List;

/**
 * The figures of one run of the webhook load benchmark.
 *
 * @param name the run ({@code none}, {@code slow}, {@code slow-down})
 * @param endpoints the endpoints the run's tenant has ({@code slow}, {@code down}, {@code fast})
 * @param jobs jobs submitted
 * @param succeeded jobs that succeeded
 * @param submitSeconds first submission to the last accepted one
 * @param intakePerSecond jobs accepted per second over {@code submitSeconds}
 * @param processingSeconds first submission to the moment job-api showed every job terminal
 * @param processedPerSecond jobs finished per second over {@code processingSeconds}
 * @param ninetyPercentSeconds first submission to the moment job-api showed 90% of the jobs
 *     terminal
 * @param ninetyPercentPerSecond 90% of the jobs over {@code ninetyPercentSeconds}: the rate without
 *     the last tenth, where a few held records (a stall of the workers' share consumers) weigh most
 * @param fastLatency job finish to receipt at the fast endpoint
 * @param fastAfterIntake the same for the jobs that finished after the last submission was accepted
 *     (intake no longer competing for the cores)
 * @param fastByTenSeconds the same by when the job finished: one entry per 10 s from the run's
 *     start
 * @param fastReceived deliveries the fast endpoint received (of {@code jobs})
 * @param slowReceivedDuringRun deliveries the slow endpoint received until every job was terminal
 * @param downAttempts attempts made to the down endpoint until every job was terminal
 * @param downDeliveries deliveries written for the down endpoint, and of those not delivered
 * @param downUndelivered deliveries of the down endpoint still pending or failed
 * @param deliveriesWritten delivery rows written for the run's tenant
 * @param peakHeapMib the largest used heap sampled during the run (the benchmark's JVM)
 */
public record LoadRun(
    String name,
    List<String> endpoints,
    int jobs,
    long succeeded,
    double submitSeconds,
    double intakePerSecond,
    double processingSeconds,
    double processedPerSecond,
    double ninetyPercentSeconds,
    double ninetyPercentPerSecond,
    Latencies fastLatency,
    Latencies fastAfterIntake,
    List<Latencies> fastByTenSeconds,
    int fastReceived,
    int slowReceivedDuringRun,
    long downAttempts,
    long downDeliveries,
    long downUndelivered,
    long deliveriesWritten,
    long peakHeapMib) {

  /** The name of {@link #baseline(List)}'s result. */
  public static final String BASELINE = "baseline";

  /** The rates of a run from its measured times. */
  public static LoadRun of(
      String name,
      List<String> endpoints,
      int jobs,
      long succeeded,
      Duration submitting,
      Duration processing,
      Duration ninetyPercent,
      Deliveries deliveries,
      long peakHeapMib) {
    return new LoadRun(
        name,
        List.copyOf(endpoints),
        jobs,
        succeeded,
        seconds(submitting),
        jobs / seconds(submitting),
        seconds(processing),
        jobs / seconds(processing),
        seconds(ninetyPercent),
        ninetyPercentOf(jobs) / seconds(ninetyPercent),
        deliveries.fastLatency(),
        deliveries.fastAfterIntake(),
        List.copyOf(deliveries.fastByTenSeconds()),
        deliveries.fastReceived(),
        deliveries.slowReceivedDuringRun(),
        deliveries.downAttempts(),
        deliveries.downDeliveries(),
        deliveries.downUndelivered(),
        deliveries.written(),
        peakHeapMib);
  }

  /**
   * The runs without endpoints as one: their mean rates (jobs and times summed), the reference for
   * the others. Named {@code baseline}.
   *
   * @throws IllegalArgumentException when no run is without endpoints
   */
  public static LoadRun baseline(List<LoadRun> runs) {
    return combinedPlain(runs.stream().filter(run -> run.endpoints().isEmpty()).toList());
  }

  /**
   * The runs without endpoints right before and right after {@code runs.get(index)} taken together
   * (either alone at an end): the reference that cancels the platform's drift from run to run.
   *
   * @throws IllegalArgumentException when there is no run without endpoints on either side
   */
  public static LoadRun adjacentBaseline(List<LoadRun> runs, int index) {
    return combinedPlain(adjacentPlainRuns(runs, index));
  }

  private static LoadRun combinedPlain(List<LoadRun> plain) {
    if (plain.isEmpty()) {
      throw new IllegalArgumentException("no run without webhook endpoints to compare with");
    }
    return combined(BASELINE, plain);
  }

  /** The nearest run without endpoints before and the nearest after {@code runs.get(index)}. */
  public static List<LoadRun> adjacentPlainRuns(List<LoadRun> runs, int index) {
    List<LoadRun> neighbours = new java.util.ArrayList<>();
    for (int i = index - 1; i >= 0; i--) {
      if (runs.get(i).endpoints().isEmpty()) {
        neighbours.add(runs.get(i));
        break;
      }
    }
    for (int i = index + 1; i < runs.size(); i++) {
      if (runs.get(i).endpoints().isEmpty()) {
        neighbours.add(runs.get(i));
        break;
      }
    }
    return neighbours;
  }

  /**
   * {@code runs} taken together as one run named {@code name}: jobs and times summed, so its rates
   * are the jobs of all of them over their summed time (the largest peak heap of them).
   *
   * @throws IllegalArgumentException when {@code runs} is empty
   */
  public static LoadRun combined(String name, List<LoadRun> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no run to take together as " + name);
    }
    int jobs = runs.stream().mapToInt(LoadRun::jobs).sum();
    return LoadRun.of(
        name,
        runs.getFirst().endpoints(),
        jobs,
        runs.stream().mapToLong(LoadRun::succeeded).sum(),
        Duration.ofMillis(
            Math.round(1000 * runs.stream().mapToDouble(LoadRun::submitSeconds).sum())),
        Duration.ofMillis(
            Math.round(1000 * runs.stream().mapToDouble(LoadRun::processingSeconds).sum())),
        Duration.ofMillis(
            Math.round(1000 * runs.stream().mapToDouble(LoadRun::ninetyPercentSeconds).sum())),
        Deliveries.NONE,
        runs.stream().mapToLong(LoadRun::peakHeapMib).max().orElse(0));
  }

  /** The number of jobs that makes 90% of {@code jobs} (rounded up). */
  public static int ninetyPercentOf(int jobs) {
    return (jobs * 9 + 9) / 10;
  }

  /** This run's intake rate as a share of {@code baseline}'s. */
  public double intakeRatio(LoadRun baseline) {
    return intakePerSecond / baseline.intakePerSecond;
  }

  /** This run's processing rate as a share of {@code baseline}'s. */
  public double processingRatio(LoadRun baseline) {
    return processedPerSecond / baseline.processedPerSecond;
  }

  /** This run's rate to 90% terminal as a share of {@code baseline}'s. */
  public double ninetyPercentRatio(LoadRun baseline) {
    return ninetyPercentPerSecond / baseline.ninetyPercentPerSecond;
  }

  /** Whether both rates are at least {@code 1 - tolerance} of {@code baseline}'s. */
  public boolean within(LoadRun baseline, double tolerance) {
    return intakeRatio(baseline) >= 1 - tolerance && processingRatio(baseline) >= 1 - tolerance;
  }

  private static double seconds(Duration duration) {
    return Math.max(1, duration.toMillis()) / 1000.0;
  }

  /**
   * What the endpoints of a run got.
   *
   * @param fastLatency job finish to receipt at the fast endpoint
   * @param fastAfterIntake the same for jobs finished after the last submission was accepted
   * @param fastByTenSeconds the same by 10 s of finish time from the run's start
   * @param fastReceived deliveries the fast endpoint received
   * @param slowReceivedDuringRun deliveries the slow endpoint received during the run
   * @param downAttempts attempts to the down endpoint during the run
   * @param downDeliveries deliveries written for the down endpoint
   * @param downUndelivered of those, still pending or failed
   * @param written delivery rows of the run's tenant
   */
  public record Deliveries(
      Latencies fastLatency,
      Latencies fastAfterIntake,
      List<Latencies> fastByTenSeconds,
      int fastReceived,
      int slowReceivedDuringRun,
      long downAttempts,
      long downDeliveries,
      long downUndelivered,
      long written) {
    public static final Deliveries NONE =
        new Deliveries(Latencies.NONE, Latencies.NONE, List.of(), 0, 0, 0, 0, 0, 0);
  }
}
