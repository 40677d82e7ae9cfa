package io.sluice.dispatcher.routing;

import io.sluice.dispatcher.completion.JobEvents;
import io.sluice.dispatcher.fallback.FallbackRouting;
import io.sluice.dispatcher.mapreduce.MapReduceRegistration;
import io.sluice.fallback.FallbackPolicy;
import io.sluice.lane.LanePolicy;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.MapReduceSpec;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.tokens.TokenEstimator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Turns a submitted job into tasks: resolves its model (name or alias) to a provider and the
 * provider's model name, picks the lane ({@link LanePolicy}) and estimates the input tokens ({@link
 * TokenEstimator#inputTokens}, the estimate the workers reserve), and gives a completion job its
 * fallback chain ({@link FallbackRouting}). A job that cannot run here (unknown model, unsupported
 * type, no request) is rejected with a terminal failed event, so that it still reaches a terminal
 * state.
 */
public final class JobRouter {
  public static final String UNKNOWN_MODEL = "unknown_model";
  public static final String UNSUPPORTED_JOB_TYPE = "unsupported_job_type";
  public static final String INVALID_JOB = "invalid_job";

  private final ModelCatalog models;
  private final Set<String> batchProviders;
  private final LanePolicy lanes;
  private final ToLongFunction<CompletionSpec> inputTokens;
  private final Clock clock;
  private final FallbackRouting fallback;

  /** A router with the one input-token estimate, {@link TokenEstimator#inputTokens}. */
  public JobRouter(ModelCatalog models, LanePolicy lanes, Clock clock) {
    this(models, lanes, TokenEstimator::inputTokens, clock);
  }

  /**
   * A router with another input-token estimate (tests: a fixed or failing one). The estimate is
   * given the request under the provider's model name.
   */
  public JobRouter(
      ModelCatalog models,
      LanePolicy lanes,
      ToLongFunction<CompletionSpec> inputTokens,
      Clock clock) {
    this(models, lanes, inputTokens, models.providers(), clock);
  }

  /**
   * A router that knows which providers' deferred lanes a provider batch API serves: the deferred
   * work of the others goes to their {@code bulk} realtime lane.
   */
  public JobRouter(
      ModelCatalog models,
      LanePolicy lanes,
      ToLongFunction<CompletionSpec> inputTokens,
      Set<String> batchProviders,
      Clock clock) {
    this(models, lanes, inputTokens, batchProviders, FallbackPolicy.none(models), clock);
  }

  /** A router that gives completion jobs their fallback chain by {@code fallbackPolicy}. */
  public JobRouter(
      ModelCatalog models,
      LanePolicy lanes,
      ToLongFunction<CompletionSpec> inputTokens,
      Set<String> batchProviders,
      FallbackPolicy fallbackPolicy,
      Clock clock) {
    this.fallback = new FallbackRouting(fallbackPolicy, inputTokens);
    this.models = models;
    this.lanes = lanes;
    this.inputTokens = inputTokens;
    this.batchProviders = Set.copyOf(batchProviders);
    this.clock = clock;
  }

  public RoutingDecision route(SubmittedJob job) {
    if (job.type() == JobType.MAP_REDUCE) {
      return routeChunk(job);
    }
    if (job.type() != JobType.COMPLETION) {
      return reject(job, UNSUPPORTED_JOB_TYPE, job.type() + " jobs are not supported yet");
    }
    CompletionSpec request = job.completion();
    if (request == null || request.messages() == null || request.messages().isEmpty()) {
      return reject(job, INVALID_JOB, "a completion job needs a request with at least one message");
    }
    Optional<ModelRoute> route = models.resolve(request.model());
    if (route.isEmpty()) {
      return reject(job, UNKNOWN_MODEL, unknownModelMessage(request.model()));
    }
    Task task = completionTask(job, route.get());
    return fallback
        .planFor(request.model(), route.get(), request.fallback(), task)
        .map(plan -> new RoutingDecision.Dispatch(List.of(plan.task()), null, plan))
        .orElseGet(() -> new RoutingDecision.Dispatch(List.of(task)));
  }

  /** Moves tasks of jobs with a fallback chain along it (completion uses it). */
  public FallbackRouting fallback() {
    return fallback;
  }

  /**
   * One chunk of a map-reduce job: its map task on the job's lane, and the job's registration for
   * the reduce (both models resolved).
   */
  private RoutingDecision routeChunk(SubmittedJob job) {
    MapReduceSpec spec = job.mapReduce();
    if (spec == null || job.chunk() == null) {
      return reject(job, INVALID_JOB, "a map_reduce record needs the job's header and a chunk");
    }
    Optional<ModelRoute> map = models.resolve(spec.map().model());
    if (map.isEmpty()) {
      return reject(job, UNKNOWN_MODEL, unknownModelMessage(spec.map().model()));
    }
    Optional<ModelRoute> reduce = models.resolve(spec.reduce().model());
    if (reduce.isEmpty()) {
      return reject(job, UNKNOWN_MODEL, unknownModelMessage(spec.reduce().model()));
    }
    Instant now = clock.instant();
    boolean batchApi =
        batchProviders.contains(map.get().provider())
            && batchProviders.contains(reduce.get().provider());
    Lane lane = lanes.laneFor(job.priority(), job.mode(), job.deadline(), now, batchApi);
    CompletionSpec request = spec.map().call(map.get().providerModel(), job.chunk().text());
    Task task =
        new Task(
            Versioned.CURRENT,
            Task.mapTaskId(job.jobId(), job.chunk().index()),
            job.jobId(),
            job.tenantId(),
            map.get().provider(),
            lane,
            request,
            inputTokens.applyAsLong(request),
            now,
            job.deadline());
    var registration =
        new MapReduceRegistration(
            job.tenantId(),
            spec,
            map.get().provider(),
            reduce.get().provider(),
            reduce.get().providerModel(),
            lane,
            job.deadline());
    return new RoutingDecision.Dispatch(List.of(task), registration);
  }

  private Task completionTask(SubmittedJob job, ModelRoute route) {
    CompletionSpec request = job.completion().withModel(route.providerModel());
    Instant now = clock.instant();
    return new Task(
        Versioned.CURRENT,
        Task.completionTaskId(job.jobId()),
        job.jobId(),
        job.tenantId(),
        route.provider(),
        lanes.laneFor(
            job.priority(),
            job.mode(),
            job.deadline(),
            now,
            batchProviders.contains(route.provider())),
        request,
        inputTokens.applyAsLong(request),
        now,
        job.deadline());
  }

  private RoutingDecision reject(SubmittedJob job, String code, String message) {
    ErrorInfo error = ErrorInfo.permanent(code, message);
    return new RoutingDecision.Reject(JobEvents.failed(job, error, clock.instant()));
  }

  private static String unknownModelMessage(String model) {
    return "model '"
        + model
        + "' is not in the dispatcher's model catalogue (was it removed after the job was"
        + " accepted?)";
  }
}
