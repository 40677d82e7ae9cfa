package io.sluice.jobapi.job;

import io.sluice.jobapi.mapreduce.PricePolicy;
import io.sluice.mapreduce.CostCap;
import io.sluice.mapreduce.MapReduceEstimate;
import io.sluice.mapreduce.MapReduceRefusal;
import io.sluice.mapreduce.ModelPrices;
import io.sluice.mapreduce.PriceBasis;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import io.sluice.tokens.TokenEstimator;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * What a job will use before it runs, with the project's one token estimator: a completion job's
 * prompt as {@link TokenEstimator#inputTokens} counts it on the provider's model plus its {@code
 * max_tokens} as the output bound; a map-reduce job's whole plan ({@link MapReduceEstimate}, the
 * same figures {@code POST /v1/jobs/estimate} shows). Token budgets reserve {@link #tokens}, and a
 * job's {@code max_cost_usd} is checked against {@link #cost} at the price its lane pays. Pure.
 */
public final class JobEstimator {
  /**
   * The output bound of a call without {@code max_tokens}: what the provider adapters send then
   * ({@code ProviderConfig.DEFAULT_MAX_TOKENS}).
   */
  public static final int DEFAULT_OUTPUT_TOKENS = 4096;

  private final ModelCatalog models;
  private final ModelPrices prices;

  public JobEstimator(ModelCatalog models, ModelPrices prices) {
    this.models = models;
    this.prices = prices;
  }

  /** A job's estimated tokens: input plus the output bound. */
  public record Estimate(long inputTokens, long outputTokens) {
    public long tokens() {
      return inputTokens + outputTokens;
    }
  }

  /**
   * The estimate of a request; {@code mapReduce} is the plan's estimate for a map-reduce job (then
   * the request's own completion is {@code null}).
   */
  public Estimate estimate(JobRequest request, MapReduceEstimate mapReduce) {
    if (mapReduce != null) {
      return new Estimate(mapReduce.inputTokens(), mapReduce.outputTokens());
    }
    CompletionSpec call = request.completion().withModel(providerModel(request.completion()));
    return new Estimate(
        TokenEstimator.inputTokens(call),
        call.maxTokens() == null ? DEFAULT_OUTPUT_TOKENS : call.maxTokens());
  }

  /**
   * The refusal of a completion job whose estimated cost at its lane's price goes past its {@code
   * max_cost_usd}, or empty when it has no cap or fits it (map-reduce jobs are checked by their
   * planner with the same {@link CostCap}).
   */
  public Optional<MapReduceRefusal> costRefusal(JobRequest request) {
    CompletionSpec call = request.completion();
    if (call == null || call.maxCostUsd() == null) {
      return Optional.empty();
    }
    PriceBasis basis = PricePolicy.basisOf(request.mode());
    String model = providerModel(call);
    Estimate estimate = estimate(request, null);
    Optional<BigDecimal> cost =
        prices.of(model).map(p -> p.cost(estimate.inputTokens(), estimate.outputTokens(), basis));
    return new CostCap(call.maxCostUsd()).check(cost, basis, model);
  }

  private String providerModel(CompletionSpec call) {
    return models.resolve(call.model()).map(ModelRoute::providerModel).orElse(call.model());
  }
}
