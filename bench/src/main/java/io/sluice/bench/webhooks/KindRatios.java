package io.sluice.bench.webhooks;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * All runs of one kind with webhooks taken together against all runs without (jobs over summed
 * times on both sides): the overall answer of the benchmark, beside each run's ratio to its own
 * plain neighbours.
 *
 * @param kind one of {@link RunPlan#KINDS}
 * @param runs the names of its runs
 * @param intake intake rate as a share of the plain runs'
 * @param processing processing rate as a share of the plain runs'
 * @param processingTo90Percent the rate to 90% terminal as a share of the plain runs'
 * @param within10Percent whether intake and processing are both within 10%
 * @param adjacentIntake each run's intake ratio to its plain neighbours, in run order
 * @param adjacentProcessing each run's processing ratio to its plain neighbours, in run order
 */
public record KindRatios(
    String kind,
    List<String> runs,
    double intake,
    double processing,
    @JsonProperty("processing_to_90_percent") double processingTo90Percent,
    @JsonProperty("within_10_percent") boolean within10Percent,
    List<Double> adjacentIntake,
    List<Double> adjacentProcessing) {

  /** One entry per kind that ran, in the order of {@link RunPlan#KINDS}. */
  public static List<KindRatios> of(List<LoadRun> runs) {
    LoadRun plain = LoadRun.baseline(runs);
    List<KindRatios> kinds = new ArrayList<>();
    for (String kind : RunPlan.KINDS.keySet()) {
      List<Integer> indexes = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        if (RunPlan.kindOf(runs.get(i).endpoints()).equals(kind)) {
          indexes.add(i);
        }
      }
      if (!indexes.isEmpty()) {
        kinds.add(of(kind, runs, indexes, plain));
      }
    }
    return List.copyOf(kinds);
  }

  private static KindRatios of(
      String kind, List<LoadRun> runs, List<Integer> indexes, LoadRun plain) {
    List<LoadRun> ofKind = indexes.stream().map(runs::get).toList();
    LoadRun all = LoadRun.combined(kind, ofKind);
    List<Double> adjacentIntake = new ArrayList<>();
    List<Double> adjacentProcessing = new ArrayList<>();
    for (int index : indexes) {
      LoadRun neighbours = LoadRun.adjacentBaseline(runs, index);
      adjacentIntake.add(runs.get(index).intakeRatio(neighbours));
      adjacentProcessing.add(runs.get(index).processingRatio(neighbours));
    }
    return new KindRatios(
        kind,
        ofKind.stream().map(LoadRun::name).toList(),
        all.intakeRatio(plain),
        all.processingRatio(plain),
        all.ninetyPercentRatio(plain),
        all.within(plain, LoadSummary.TOLERANCE),
        List.copyOf(adjacentIntake),
        List.copyOf(adjacentProcessing));
  }
}
