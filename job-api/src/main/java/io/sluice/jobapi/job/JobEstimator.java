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
import io.sluice.structured.StructuredOutput;
import io.sluice.structured.Violations;
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

  /**
   * The tokens a repair call's own message adds, at most: the validation errors are capped at
   * {@link Violations#MAX_CHARS} characters, the fixed text is shorter than 300, and a token is at
   * least one character.
   */
  static final int REPAIR_PROMPT_TOKENS = Violations.MAX_CHARS + 300;

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
   * What a job may use at most, which its tenant's token budget reserves: {@link #estimate} for one
   * call, and for a job with a {@code response_schema} every repair call it may make too (each
   * repair call sends the conversation so far: the prompt, the earlier answers, at most {@code
   * max_tokens} each, and the validation errors). A budget then holds whatever the job does, but
   * for the token estimator's own error on the prompt.
   */
  public Estimate reservation(JobRequest request, MapReduceEstimate mapReduce) {
    Estimate one = estimate(request, mapReduce);
    CompletionSpec call = request.completion();
    if (mapReduce != null || call == null || call.responseSchema() == null) {
      return one;
    }
    int repairs =
        call.maxRepairs() == null ? StructuredOutput.DEFAULT_MAX_REPAIRS : call.maxRepairs();
    long input = one.inputTokens();
    long output = one.outputTokens();
    for (int k = 1; k <= repairs; k++) {
      input += one.inputTokens() + k * (one.outputTokens() + REPAIR_PROMPT_TOKENS);
      output += one.outputTokens();
    }
    return new Estimate(input, output);
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
