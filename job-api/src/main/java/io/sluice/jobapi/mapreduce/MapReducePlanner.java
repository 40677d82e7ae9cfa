package io.sluice.jobapi.mapreduce;

import io.sluice.mapreduce.ChunkSettings;
import io.sluice.mapreduce.JobPlan;
import io.sluice.mapreduce.MapReduceCaps;
import io.sluice.mapreduce.MapReduceEstimate;
import io.sluice.mapreduce.MapReduceEstimator;
import io.sluice.mapreduce.MapReduceRefusal;
import io.sluice.mapreduce.MapReduceRequest;
import io.sluice.mapreduce.ModelPrices;
import io.sluice.mapreduce.ModelWindow;
import io.sluice.mapreduce.ReduceGrouping;
import io.sluice.schemas.job.MapReduceSpec;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import java.util.List;

/**
 * Works out a map-reduce request before anything is created: chunks the document with the shared
 * {@code Chunker} (through {@link MapReduceEstimator}), plans the reduce tree, prices it, and
 * checks the request's caps. Pure; the intake stores what it returns, {@code POST
 * /v1/jobs/estimate} shows its estimate.
 */
public final class MapReducePlanner {
  private final ModelCatalog models;
  private final MapReduceSettings settings;
  private final ModelPrices prices;

  public MapReducePlanner(ModelCatalog models, MapReduceSettings settings, ModelPrices prices) {
    this.models = models;
    this.settings = settings;
    this.prices = prices;
  }

  /** A planned job: its header for the dispatcher, its chunks' texts in order, and its estimate. */
  public record PlannedJob(MapReduceSpec spec, List<String> chunks, MapReduceEstimate estimate) {}

  /**
   * The estimate of a request, caps not checked.
   *
   * @throws MapReduceRefused when the request cannot run as asked
   */
  public MapReduceEstimate estimate(MapReduceInput input) {
    return plan(input).estimate();
  }

  /**
   * The job of a request, its caps checked at the price its mode pays.
   *
   * @throws MapReduceRefused naming the cap and the estimate, or the field that cannot run
   */
  public PlannedJob planChecked(MapReduceInput input, Mode mode) {
    JobPlan plan = plan(input);
    new MapReduceCaps(input.maxChunks(), input.maxCostUsd())
        .check(plan.estimate(), PricePolicy.basisOf(mode))
        .ifPresent(
            refusal -> {
              throw new MapReduceRefused(refusal, plan.estimate());
            });
    List<String> texts = plan.chunks().stream().map(c -> c.text(input.document())).toList();
    return new PlannedJob(spec(input, plan), texts, plan.estimate());
  }

  private JobPlan plan(MapReduceInput input) {
    try {
      return estimator(input).plan(request(input));
    } catch (MapReduceRefusal refusal) {
      throw new MapReduceRefused(refusal, null);
    }
  }

  private MapReduceEstimator estimator(MapReduceInput input) {
    return new MapReduceEstimator(
        prices, input.maxDepth() == null ? settings.maxDepth() : input.maxDepth());
  }

  private MapReduceRequest request(MapReduceInput input) {
    return new MapReduceRequest(
        input.document(),
        input.map().instruction(),
        input.reduce().instruction(),
        new ChunkSettings(input.chunkTokens(), input.overlapTokens()),
        input.map().maxTokens(),
        input.reduce().maxTokens(),
        window(input.map().model()),
        window(input.reduce().model()));
  }

  private ModelWindow window(String model) {
    String providerModel = models.resolve(model).map(ModelRoute::providerModel).orElse(model);
    return new ModelWindow(providerModel, settings.contextOf(providerModel));
  }

  private static MapReduceSpec spec(MapReduceInput input, JobPlan plan) {
    ReduceGrouping grouping = plan.reduceTree().grouping();
    return new MapReduceSpec(
        input.map(),
        input.reduce(),
        plan.chunks().size(),
        input.onChunkError(),
        grouping.budgetTokens(),
        grouping.separatorTokens(),
        plan.reduceTree().maxDepth());
  }
}
