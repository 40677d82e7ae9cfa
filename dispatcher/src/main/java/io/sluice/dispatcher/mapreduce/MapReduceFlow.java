package io.sluice.dispatcher.mapreduce;

import io.sluice.mapreduce.ReduceFailure;
import io.sluice.mapreduce.ReduceGroup;
import io.sluice.mapreduce.ReduceGrouping;
import io.sluice.mapreduce.ReduceLevel;
import io.sluice.mapreduce.ReduceRound;
import io.sluice.mapreduce.ReduceTree;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChunkErrorPolicy;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.MapReduceProgress;
import io.sluice.schemas.job.MapReduceSpec;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.ToLongFunction;

/**
 * The map → reduce tree → result flow of one map-reduce job, one input at a time: a map or reduce
 * result, or the job's registration. Plain Java over two ports (the partial answers, what it
 * publishes); the dispatcher's processor applies it inside a Streams transaction, so a crash
 * replays the input against the state before it.
 *
 * <p>Level 0 holds the map outputs. When every call of a level has ended, the level's answers are
 * grouped with {@link ReduceGrouping} (each answer counted at its phase's {@code max_tokens}, the
 * bound the estimate used, so the tree that runs is the tree job-api estimated) and one reduce task
 * is published per group; the single answer of a level ≥ 1 is the job's result. A reduce that would
 * need more than the depth bound fails the job ({@code reduce_failed}).
 */
public final class MapReduceFlow {
  public static final String CHUNK_FAILED = "chunk_failed";
  public static final String REDUCE_FAILED = "reduce_failed";
  public static final String REDUCE_CALL_FAILED = "reduce_call_failed";
  public static final String NO_CHUNK_SUCCEEDED = "no_chunk_succeeded";

  /** Progress events per level, at most (plus the level's first and last). */
  static final int PROGRESS_EVENTS_PER_LEVEL = 20;

  /** The partial answers of running jobs, one entry each. */
  public interface Answers {
    boolean has(String jobId, int level, int index);

    void put(String jobId, int level, int index, StoredAnswer answer);

    StoredAnswer get(String jobId, int level, int index);

    /** A level's answers by index, in index order. */
    SortedMap<Integer, StoredAnswer> level(String jobId, int level);

    void deleteLevel(String jobId, int level);
  }

  /** Where tasks and events go. */
  public interface Output {
    void task(Task task);

    void event(JobEvent event);
  }

  /**
   * The state after an input; {@code ended} is the terminal status the flow gave the job, or {@code
   * null} while it runs.
   */
  public record Next(MapReduceState state, JobStatus ended) {}

  private final ToLongFunction<CompletionSpec> inputTokens;

  public MapReduceFlow(ToLongFunction<CompletionSpec> inputTokens) {
    this.inputTokens = inputTokens;
  }

  /** The job's registration: the reduce may begin if every map result came before it. */
  public Next register(
      String jobId,
      MapReduceState state,
      MapReduceRegistration registration,
      Instant now,
      Answers answers,
      Output out) {
    if (state.registration() != null) {
      return new Next(state, null);
    }
    MapReduceState registered = state.registered(registration);
    if (failsOnChunkError(registered) && !registered.skipped().isEmpty()) {
      int chunk = registered.skipped().getFirst();
      return chunkFailed(
          jobId, registered, chunk, answers.get(jobId, 0, chunk).failure(), now, out);
    }
    return registered.levelComplete()
        ? completeLevel(jobId, registered, now, answers, out)
        : new Next(registered, null);
  }

  /** A result of one of the job's tasks, at {@code place} in its tree. */
  public Next record(
      MapReduceTaskId place,
      MapReduceState state,
      TaskResult result,
      Instant now,
      Answers answers,
      Output out) {
    String jobId = result.jobId();
    if (result.outcome() == TaskOutcome.STARTED) {
      return started(jobId, state, result, now, out);
    }
    if (result.outcome() == TaskOutcome.CANCELLED) {
      return cancelled(jobId, state, result, now, out);
    }
    if (!result.outcome().isTerminal()
        || place.level() != state.level()
        || answers.has(jobId, place.level(), place.index())) {
      return new Next(state, null); // placement, or a result seen before
    }
    if (result.outcome() == TaskOutcome.SUCCEEDED) {
      answers.put(jobId, place.level(), place.index(), StoredAnswer.of(result.output()));
      return afterCall(
          jobId,
          state
              .ended(place.level(), result.usage(), result.costUsd(), result.attempts(), null)
              .started(result.startedAt()),
          now,
          answers,
          out);
    }
    return failedCall(jobId, place, state, result, now, answers, out);
  }

  private Next started(
      String jobId, MapReduceState state, TaskResult result, Instant now, Output out) {
    if (state.startedAt() != null) {
      return new Next(state, null);
    }
    MapReduceState running = state.started(result.startedAt() == null ? now : result.startedAt());
    out.event(event(jobId, running, JobStatus.RUNNING, jobId + ".running", now));
    return new Next(running, null);
  }

  /** A worker dropped a task of the job because it was cancelled: the job ends cancelled. */
  private Next cancelled(
      String jobId, MapReduceState state, TaskResult result, Instant now, Output out) {
    MapReduceState counted =
        state.ended(-1, result.usage(), result.costUsd(), result.attempts(), null);
    out.event(end(jobId, counted, JobStatus.CANCELLED, null, null, now).build(null, null));
    return new Next(counted, JobStatus.CANCELLED);
  }

  private Next failedCall(
      String jobId,
      MapReduceTaskId place,
      MapReduceState state,
      TaskResult result,
      Instant now,
      Answers answers,
      Output out) {
    ErrorInfo error =
        result.error() == null
            ? ErrorInfo.permanent(result.outcome().name().toLowerCase(java.util.Locale.ROOT), "")
            : result.error();
    MapReduceState counted =
        state.ended(
            place.level(),
            result.usage(),
            result.costUsd(),
            result.attempts(),
            place.level() == 0 ? place.index() : null);
    String why = error.code() + ": " + error.message();
    if (place.level() > 0) {
      return fail(
          jobId,
          counted,
          ErrorInfo.permanent(
              REDUCE_CALL_FAILED,
              "reduce call " + place.index() + " of level " + place.level() + " failed: " + why),
          now,
          out);
    }
    answers.put(jobId, 0, place.index(), StoredAnswer.failed(why));
    if (failsOnChunkError(counted)) {
      return chunkFailed(jobId, counted, place.index(), why, now, out);
    }
    return afterCall(jobId, counted, now, answers, out);
  }

  private static boolean failsOnChunkError(MapReduceState state) {
    return state.registration() != null
        && state.registration().spec().onChunkError() == ChunkErrorPolicy.FAIL;
  }

  private Next chunkFailed(
      String jobId, MapReduceState state, int chunk, String why, Instant now, Output out) {
    return fail(
        jobId,
        state,
        ErrorInfo.permanent(CHUNK_FAILED, "chunk " + chunk + " failed: " + why),
        now,
        out);
  }

  private Next afterCall(
      String jobId, MapReduceState state, Instant now, Answers answers, Output out) {
    if (state.levelComplete()) {
      return completeLevel(jobId, state, now, answers, out);
    }
    if (isProgressStep(state)) {
      out.event(progressEvent(jobId, state, now));
    }
    return new Next(state, null);
  }

  private static boolean isProgressStep(MapReduceState state) {
    if (state.expected() < 0) {
      return state.done() == 1;
    }
    int step = Math.max(1, state.expected() / PROGRESS_EVENTS_PER_LEVEL);
    return state.done() == 1 || state.done() % step == 0;
  }

  private Next completeLevel(
      String jobId, MapReduceState state, Instant now, Answers answers, Output out) {
    List<String> texts = new ArrayList<>();
    for (Map.Entry<Integer, StoredAnswer> answer : answers.level(jobId, state.level()).entrySet()) {
      if (!answer.getValue().hasFailed()) {
        texts.add(answer.getValue().text());
      }
    }
    if (texts.isEmpty()) {
      return fail(
          jobId,
          state,
          ErrorInfo.permanent(NO_CHUNK_SUCCEEDED, "every chunk's map call failed and was skipped"),
          now,
          out);
    }
    if (state.level() >= 1 && texts.size() == 1) {
      MapReduceRegistration registration = state.registration();
      out.event(
          end(jobId, state, JobStatus.SUCCEEDED, texts.getFirst(), null, now)
              .withProviderOf(registration));
      return new Next(state, JobStatus.SUCCEEDED);
    }
    ReduceRound round;
    try {
      round = tree(state.registration().spec()).nextRound(level(state, texts.size()), null);
    } catch (ReduceFailure e) {
      return fail(jobId, state, ErrorInfo.permanent(REDUCE_FAILED, e.getMessage()), now, out);
    }
    for (ReduceGroup group : round.groups()) {
      out.task(reduceTask(jobId, state.registration(), round.level(), group, texts, now));
    }
    answers.deleteLevel(jobId, state.level());
    MapReduceState next = state.nextLevel(round.calls());
    out.event(progressEvent(jobId, next, now));
    return new Next(next, null);
  }

  private static ReduceTree tree(MapReduceSpec spec) {
    return new ReduceTree(
        new ReduceGrouping(spec.reduceBudgetTokens(), spec.separatorTokens()), spec.maxDepth());
  }

  /** The level's answers, each counted at its phase's {@code max_tokens}. */
  private static ReduceLevel level(MapReduceState state, int answers) {
    MapReduceSpec spec = state.registration().spec();
    long bound = state.level() == 0 ? spec.map().maxTokens() : spec.reduce().maxTokens();
    return new ReduceLevel(state.level(), Collections.nCopies(answers, bound));
  }

  private Task reduceTask(
      String jobId,
      MapReduceRegistration registration,
      int level,
      ReduceGroup group,
      List<String> texts,
      Instant now) {
    String text = String.join(ReduceGrouping.SEPARATOR, texts.subList(group.from(), group.to()));
    CompletionSpec request = registration.spec().reduce().call(registration.reduceModel(), text);
    return new Task(
        Versioned.CURRENT,
        Task.reduceTaskId(jobId, level, group.index()),
        jobId,
        registration.tenantId(),
        registration.reduceProvider(),
        registration.lane(),
        request,
        inputTokens.applyAsLong(request),
        now,
        registration.deadline());
  }

  private Next fail(String jobId, MapReduceState state, ErrorInfo error, Instant now, Output out) {
    out.event(end(jobId, state, JobStatus.FAILED, null, error, now).build(null, null));
    return new Next(state, JobStatus.FAILED);
  }

  private static Ended end(
      String jobId,
      MapReduceState state,
      JobStatus status,
      String output,
      ErrorInfo error,
      Instant now) {
    return new Ended(jobId, state, status, output, error, now);
  }

  /** A terminal event under construction (the provider is set for a success). */
  private record Ended(
      String jobId,
      MapReduceState state,
      JobStatus status,
      String output,
      ErrorInfo error,
      Instant now) {
    JobEvent withProviderOf(MapReduceRegistration registration) {
      return build(registration.reduceProvider(), registration.reduceModel());
    }

    JobEvent build(String provider, String model) {
      return new JobEvent(
          Versioned.CURRENT,
          jobId + "." + status.wireName(),
          jobId,
          tenantOf(state),
          status,
          output,
          state.usage(),
          provider,
          model,
          state.costUsd(),
          error,
          state.attempts(),
          state.startedAt(),
          now,
          null,
          null,
          progress(state, true));
    }
  }

  private static JobEvent progressEvent(String jobId, MapReduceState state, Instant now) {
    return event(
        jobId,
        state,
        JobStatus.RUNNING,
        jobId + ".progress." + state.level() + "." + state.done(),
        now);
  }

  private static JobEvent event(
      String jobId, MapReduceState state, JobStatus status, String eventId, Instant now) {
    return new JobEvent(
        Versioned.CURRENT,
        eventId,
        jobId,
        tenantOf(state),
        status,
        null,
        state.usage(),
        null,
        null,
        state.costUsd(),
        null,
        state.attempts(),
        state.startedAt() == null ? now : state.startedAt(),
        now,
        null,
        null,
        progress(state, false));
  }

  private static String tenantOf(MapReduceState state) {
    return state.registration() == null ? null : state.registration().tenantId();
  }

  static MapReduceProgress progress(MapReduceState state, boolean ended) {
    MapReduceRegistration registration = state.registration();
    int total = registration == null ? -1 : registration.spec().chunksTotal();
    boolean mapping = state.level() == 0;
    int depth = ended ? state.level() : Math.max(0, state.level() - (mapping ? 0 : 1));
    return new MapReduceProgress(
        mapping ? MapReduceProgress.MAP : MapReduceProgress.REDUCE,
        mapping ? state.done() : Math.max(total, 0),
        Math.max(total, 0),
        state.level(),
        state.mapCalls(),
        state.reduceCalls(),
        depth,
        state.skipped());
  }
}
