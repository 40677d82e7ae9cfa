package io.sluice.workers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.mapreduce.CostCap;
import io.sluice.observability.tracing.SpanAttributes;
import io.sluice.observability.tracing.SpanNames;
import io.sluice.observability.tracing.Tracing;
import io.sluice.providers.CompletionResponse;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.FailureScope;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.structured.InvalidResponseSchemaException;
import io.sluice.structured.StructuredOutput;
import io.sluice.tokens.TokenEstimator;
import io.sluice.workers.Admission;
import io.sluice.workers.CostCalculator;
import io.sluice.workers.RetryPolicy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one delivered task (decoded once, when its record was read) to its outcome: call the
 * provider with retries (each call admitted by the pool's {@link Admission}), publish the result,
 * and say how the record is to be acknowledged. Runs on a virtual thread; free of Kafka consumer
 * types, so it is tested without a broker.
 *
 * <p>A task whose job's deadline has passed ({@link DeadlinePolicy#hasExpired}) when it is about to
 * start, or before a retry, is not called: its expired result ({@code deadline_exceeded}) is
 * published and the record accepted, so no provider call is paid for an answer nobody can use. The
 * same holds for a task whose job is known to be cancelled: it is dropped with a {@code cancelled}
 * result. A cancel that comes while a call runs does not interrupt it: the result is published and
 * the dispatcher keeps only its cost.
 */
public final class TaskProcessor {
  /** How the record is to be acknowledged. */
  public enum Verdict {
    /** The outcome is published: done. */
    ACCEPT,
    /** The record is unreadable and dead-lettered. */
    REJECT,
    /** Nothing durable happened: let another delivery try again. */
    RELEASE,
    /** Not yet called: the rate limiter admits it no sooner than {@link Outcome#notBefore()}. */
    DEFER
  }

  /**
   * The verdict, and for {@link Verdict#DEFER} the earliest instant to try again.
   *
   * @param verdict how the record is to be acknowledged (or kept, for {@code DEFER})
   * @param notBefore when a deferred task may be tried again; {@code null} otherwise
   */
  public record Outcome(Verdict verdict, Instant notBefore) {
    static Outcome of(Verdict verdict) {
      return new Outcome(verdict, null);
    }
  }

  /**
   * Told when a started task's calls wait for the rate limiter and when one is admitted: the pool's
   * {@link SlotArbiter} counts the tasks that wait for it, so that a limited lane reads its next
   * record only once they are admitted.
   */
  public interface LimiterWaits {
    /** Tells nobody. */
    LimiterWaits NONE =
        new LimiterWaits() {
          @Override
          public void admitted() {}

          @Override
          public void waiting() {}
        };

    /** A call of the task was admitted: its first, or one that waited ({@link #waiting}). */
    void admitted();

    /**
     * The task has started (its first call was admitted) and a later call of it — a retry or a
     * repair call — waits for the rate limiter.
     */
    void waiting();
  }

  /** Waits between attempts; interruptible so that shutdown can cut a wait short. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  public static final String DELIVERY_LIMIT_REACHED = "delivery_limit_reached";

  /** The error code of a task that can never fit the provider's rate limits. */
  public static final String EXCEEDS_RATE_LIMIT_CAPACITY = "exceeds_rate_limit_capacity";

  private static final Logger LOG = LoggerFactory.getLogger(TaskProcessor.class);

  private final Provider provider;
  private final RetryPolicy retryPolicy;
  private final CircuitBreaker breaker;
  private final ResultSink sink;
  private final CostCalculator costs;
  private final Clock clock;
  private final int deliveryLimit;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final Counters counters;
  private final Admission admission;
  private final DeadlinePolicy deadlines;
  private final Predicate<String> cancelledJobs;
  private final Tracing tracing;

  /** A processor that knows of no cancelled job. */
  public TaskProcessor(
      Provider provider,
      RetryPolicy retryPolicy,
      CircuitBreaker breaker,
      ResultSink sink,
      CostCalculator costs,
      Clock clock,
      int deliveryLimit,
      Sleeper sleeper,
      DoubleSupplier random,
      Counters counters,
      Admission admission,
      DeadlinePolicy deadlines) {
    this(
        provider,
        retryPolicy,
        breaker,
        sink,
        costs,
        clock,
        deliveryLimit,
        sleeper,
        random,
        counters,
        admission,
        deadlines,
        jobId -> false);
  }

  /**
   * @param cancelledJobs whether a job (by ID) is known to be cancelled: its task is then dropped
   *     before its next call
   */
  public TaskProcessor(
      Provider provider,
      RetryPolicy retryPolicy,
      CircuitBreaker breaker,
      ResultSink sink,
      CostCalculator costs,
      Clock clock,
      int deliveryLimit,
      Sleeper sleeper,
      DoubleSupplier random,
      Counters counters,
      Admission admission,
      DeadlinePolicy deadlines,
      Predicate<String> cancelledJobs) {
    this(
        provider,
        retryPolicy,
        breaker,
        sink,
        costs,
        clock,
        deliveryLimit,
        sleeper,
        random,
        counters,
        admission,
        deadlines,
        cancelledJobs,
        Tracing.off());
  }

  /**
   * @param tracing a span per handled delivery, child of the dispatcher's span the task record
   *     names, and a client span per provider call within it; the results published inside carry
   *     the task span's context
   */
  public TaskProcessor(
      Provider provider,
      RetryPolicy retryPolicy,
      CircuitBreaker breaker,
      ResultSink sink,
      CostCalculator costs,
      Clock clock,
      int deliveryLimit,
      Sleeper sleeper,
      DoubleSupplier random,
      Counters counters,
      Admission admission,
      DeadlinePolicy deadlines,
      Predicate<String> cancelledJobs,
      Tracing tracing) {
    this.tracing = tracing;
    this.cancelledJobs = cancelledJobs;
    this.admission = admission;
    this.deadlines = deadlines;
    this.provider = provider;
    this.retryPolicy = retryPolicy;
    this.breaker = breaker;
    this.sink = sink;
    this.costs = costs;
    this.clock = clock;
    this.deliveryLimit = deliveryLimit;
    this.sleeper = sleeper;
    this.random = random;
    this.counters = counters;
  }

  /** Processes one delivery to a verdict other than {@link Verdict#DEFER}; never throws. */
  public Verdict process(Delivery delivery) {
    while (true) {
      Outcome outcome = handle(delivery);
      if (outcome.verdict() != Verdict.DEFER) {
        return outcome.verdict();
      }
      try {
        sleeper.sleep(Duration.between(clock.instant(), outcome.notBefore()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Verdict.RELEASE;
      }
    }
  }

  /**
   * Processes one delivery; never throws. Returns {@link Verdict#DEFER} when the rate limiter does
   * not admit the task's first call yet: nothing was called or published, the caller keeps the
   * record and hands it in again at {@link Outcome#notBefore()}.
   */
  public Outcome handle(Delivery delivery) {
    return handle(delivery, LimiterWaits.NONE);
  }

  /**
   * {@link #handle(Delivery)}, telling {@code waits} when a call of the task is admitted and when a
   * started task waits for the rate limiter again.
   */
  public Outcome handle(Delivery delivery, LimiterWaits waits) {
    if (!tracing.enabled()) {
      return handleUntraced(delivery, waits);
    }
    Span span = startTaskSpan(delivery);
    try (Scope ignored = span.makeCurrent()) {
      Outcome outcome = handleUntraced(delivery, waits);
      span.setAttribute(SpanAttributes.OUTCOME, outcome.verdict().name().toLowerCase(Locale.ROOT));
      return outcome;
    } finally {
      span.end();
    }
  }

  private Span startTaskSpan(Delivery delivery) {
    SpanBuilder span =
        tracing
            .tracer()
            .spanBuilder(SpanNames.TASK)
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(tracing.parentOf(delivery.headers()))
            .setAttribute(SpanAttributes.PROVIDER, provider.name())
            .setAttribute(SpanAttributes.DELIVERY_COUNT, delivery.deliveryCount());
    Task task = delivery.task();
    if (task != null) {
      span.setAttribute(SpanAttributes.TASK_ID, task.taskId())
          .setAttribute(SpanAttributes.JOB_ID, task.jobId())
          .setAttribute(SpanAttributes.TENANT_ID, task.tenantId())
          .setAttribute(SpanAttributes.LANE, task.lane().topicSegment())
          .setAttribute(SpanAttributes.MODEL, task.request().model());
    }
    return span.startSpan();
  }

  private Outcome handleUntraced(Delivery delivery, LimiterWaits waits) {
    if (!delivery.readable()) {
      return Outcome.of(deadLetterUnreadable(delivery, delivery.problem()));
    }
    Task task = delivery.task();
    try {
      if (delivery.deliveryCount() >= deliveryLimit) {
        return Outcome.of(failPoison(delivery, task));
      }
      return run(task, delivery.readAt(), waits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.info("task {} interrupted by shutdown; releasing it for redelivery", task.taskId());
      return Outcome.of(released());
    } catch (RuntimeException e) {
      LOG.warn(
          "task {}: outcome could not be published ({}); releasing it for redelivery",
          task.taskId(),
          e.toString());
      return Outcome.of(released());
    }
  }

  private Outcome run(Task task, Instant readAt, LimiterWaits waits) throws InterruptedException {
    Optional<StructuredOutput> structured;
    try {
      structured = StructuredOutput.of(task.request());
    } catch (InvalidResponseSchemaException e) {
      publishFailure(task, unusableSchema(e), 0, clock.instant());
      return Outcome.of(Verdict.ACCEPT);
    }
    Calls calls = new Calls(task);
    boolean waiting = false;
    while (true) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("shutdown before attempt " + (calls.attempts + 1));
      }
      if (cancelledJobs.test(task.jobId())) {
        publishCancelled(task, calls);
        return Outcome.of(Verdict.ACCEPT);
      }
      if (deadlines.hasExpired(task.deadline(), clock.instant())) {
        publishExpired(task, calls);
        return Outcome.of(Verdict.ACCEPT);
      }
      Admission.Permit permit;
      switch (admission.admit(calls.current)) {
        case Admission.Go go -> permit = go.permit();
        case Admission.Wait wait -> {
          if (calls.startedAt == null) {
            counters.deferred.incrementAndGet();
            return new Outcome(Verdict.DEFER, wait.notBefore());
          }
          if (!waiting) {
            waiting = true;
            waits.waiting();
          }
          sleeper.sleep(Duration.between(clock.instant(), wait.notBefore()));
          continue;
        }
        case Admission.Never never -> {
          Instant now = clock.instant();
          publishFailure(
              task, tooLarge(never), calls, calls.startedAt == null ? now : calls.startedAt);
          return Outcome.of(Verdict.ACCEPT);
        }
      }
      if (calls.startedAt == null) {
        calls.startedAt = clock.instant();
        Duration waited =
            readAt == null ? Duration.ZERO : Duration.between(readAt, calls.startedAt);
        counters.admitted(waited);
        waits.admitted();
        counters.meters.started(task, calls.startedAt, waited);
        LOG.debug(
            "task {} admitted {} ms after it was read (estimated input {} tokens)",
            task.taskId(),
            waited.toMillis(),
            task.estimatedInputTokens());
        announceStart(task, calls.startedAt);
      } else if (waiting) {
        waiting = false;
        waits.admitted();
      }
      calls.attempts++;
      calls.ofThisRequest++;
      try {
        CompletionResponse response = call(calls.current, permit);
        if (structured.isEmpty()) {
          publishSuccess(task, response, calls.attempts, calls.startedAt);
          return Outcome.of(Verdict.ACCEPT);
        }
        if (judge(task, structured.get(), calls, response)) {
          return Outcome.of(Verdict.ACCEPT);
        }
      } catch (CircuitOpen e) {
        calls.attempts--;
        calls.ofThisRequest--;
        if (task.fallbackAvailable()) {
          // the job's next fallback entry may answer now: do not wait for this provider
          publishFailure(task, ProviderErrors.circuitOpen(task.provider()), calls, calls.startedAt);
          return Outcome.of(Verdict.ACCEPT);
        }
        sleeper.sleep(retryPolicy.backoff(1, random.getAsDouble()));
      } catch (ProviderException e) {
        switch (retryPolicy.afterFailure(calls.ofThisRequest, e, random.getAsDouble())) {
          case RetryPolicy.Decision.Retry retry ->
              waitToRetry(task, calls.attempts, e, retry.delay());
          case RetryPolicy.Decision.GiveUp giveUp -> {
            publishFailure(task, giveUp.error(), calls, calls.startedAt);
            return Outcome.of(Verdict.ACCEPT);
          }
        }
      }
    }
  }

  /**
   * Checks a structured answer: publishes the task's result and returns {@code true} when it is
   * accepted or given up, or sets up the repair call and returns {@code false}.
   */
  private boolean judge(
      Task task, StructuredOutput structured, Calls calls, CompletionResponse response) {
    calls.add(response);
    switch (structured.judge(calls.current.request(), response.output(), calls.repairs)) {
      case StructuredOutput.Accept accept -> {
        publishStructured(task, response.output(), accept.json(), calls);
        return true;
      }
      case StructuredOutput.GiveUp giveUp -> {
        publishFailure(task, giveUp.error(), calls, calls.startedAt);
        return true;
      }
      case StructuredOutput.Repair repair -> {
        Optional<CostCap> cap = costCapOf(task);
        if (cap.isPresent() && cap.get().reachedBy(calls.totals.costUsd())) {
          publishFailure(
              task,
              ErrorInfo.permanent(
                  CostCap.MAX_COST_EXCEEDED, cap.get().stopMessage(calls.totals.costUsd())),
              calls,
              calls.startedAt);
          return true;
        }
        calls.repair(repair.request());
        counters.repairs.incrementAndGet();
        LOG.info(
            "task {}: output does not satisfy its response schema ({} problem(s)); repair call {}"
                + " of {}",
            task.taskId(),
            repair.violations().messages().size(),
            calls.repairs,
            structured.maxRepairs());
        return false;
      }
    }
  }

  /** The job's {@code max_cost_usd}: no repair call once the calls made cost this much. */
  private static Optional<CostCap> costCapOf(Task task) {
    BigDecimal max = task.request().maxCostUsd();
    return max == null || max.signum() <= 0 ? Optional.empty() : Optional.of(new CostCap(max));
  }

  /**
   * Where a task's calls stand: the request the next call sends (a repair call's is the longer
   * conversation), the calls made in all and for this request (what the retry policy counts), the
   * repair calls, and the usage and cost of the successful ones.
   */
  private final class Calls {
    Task current;
    Instant startedAt;
    int attempts;
    int ofThisRequest;
    int repairs;
    CallTotals totals = CallTotals.NONE;

    Calls(Task task) {
      this.current = task;
    }

    void add(CompletionResponse response) {
      String model = modelOf(current, response);
      totals =
          totals.plus(
              response.usage(), costs.costUsd(current.provider(), model, response.usage()), model);
    }

    void repair(CompletionSpec request) {
      current = current.withRequest(request, TokenEstimator.inputTokens(request));
      repairs++;
      ofThisRequest = 0;
    }

    /** {@code result} with the usage and cost of the calls made, and the repairs for a schema. */
    TaskResult counted(TaskResult result) {
      TaskResult withCalls =
          totals.calls() == 0
              ? result
              : result.withCalls(totals.usage(), totals.model(), totals.costUsd());
      return current.request().responseSchema() == null
          ? withCalls
          : withCalls.withStructuredOutput(withCalls.outputJson(), repairs);
    }
  }

  /** The job shows {@code running} from here on; a lost announcement only skips that status. */
  private void announceStart(Task task, Instant startedAt) {
    try {
      sink.announce(TaskResult.started(task, startedAt));
    } catch (RuntimeException e) {
      LOG.debug("task {}: start not announced ({})", task.taskId(), e.toString());
    }
  }

  private static ErrorInfo unusableSchema(InvalidResponseSchemaException e) {
    return ErrorInfo.permanent(
            StructuredOutput.INVALID_RESPONSE_SCHEMA, "response_schema " + e.getMessage())
        .withScope(FailureScope.REQUEST);
  }

  private static ErrorInfo tooLarge(Admission.Never never) {
    return ErrorInfo.permanent(
            EXCEEDS_RATE_LIMIT_CAPACITY,
            "the call can never fit the provider's rate limits: " + never.reason())
        .withScope(FailureScope.PROVIDER);
  }

  private CompletionResponse call(Task task, Admission.Permit permit) {
    if (!breaker.tryAcquirePermission()) {
      settle(task, permit::notCalled);
      throw new CircuitOpen();
    }
    long start = System.nanoTime();
    CompletionResponse response;
    try {
      response = complete(task);
      long took = System.nanoTime() - start;
      breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      counters.meters.call(task, took, null);
      counters.recentCalls.record(task, took, response.usage().outputTokens());
    } catch (ProviderException e) {
      long took = System.nanoTime() - start;
      breaker.onError(took, TimeUnit.NANOSECONDS, e);
      counters.meters.call(task, took, e);
      failed(permit, e);
      throw e;
    } catch (RuntimeException e) {
      long took = System.nanoTime() - start;
      ProviderException unexpected = ProviderErrors.unexpected(provider.name(), e);
      breaker.onError(took, TimeUnit.NANOSECONDS, unexpected);
      counters.meters.call(task, took, unexpected);
      failed(permit, unexpected);
      throw unexpected;
    }
    settle(task, () -> permit.succeeded(response));
    return response;
  }

  /** The provider call, in a client span of its own when tracing is on. */
  private CompletionResponse complete(Task task) {
    if (!tracing.enabled()) {
      return provider.complete(task.request());
    }
    Span span =
        tracing
            .tracer()
            .spanBuilder(SpanNames.PROVIDER_CALL)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(SpanAttributes.PROVIDER, provider.name())
            .setAttribute(SpanAttributes.MODEL, task.request().model())
            .setAttribute(SpanAttributes.TASK_ID, task.taskId())
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      CompletionResponse response = provider.complete(task.request());
      span.setAttribute(SpanAttributes.OUTCOME, "success")
          .setAttribute(SpanAttributes.INPUT_TOKENS, response.usage().inputTokens())
          .setAttribute(SpanAttributes.OUTPUT_TOKENS, response.usage().outputTokens());
      return response;
    } catch (ProviderException e) {
      // the error class only: a provider's message may quote the request
      span.setStatus(StatusCode.ERROR)
          .setAttribute(SpanAttributes.OUTCOME, ProviderErrors.toErrorInfo(e).code());
      throw e;
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR).setAttribute(SpanAttributes.OUTCOME, "unexpected");
      throw e;
    } finally {
      span.end();
    }
  }

  private void failed(Admission.Permit permit, ProviderException failure) {
    if (failure.isRateLimited()) {
      counters.rateLimited.incrementAndGet();
    }
    settle(null, () -> permit.failed(failure));
  }

  /** Settling a rate-limit charge must not turn a finished call into a failed one. */
  private static void settle(Task task, Runnable settlement) {
    try {
      settlement.run();
    } catch (RuntimeException e) {
      LOG.warn(
          "task {}: rate-limit charge not settled ({}); the limiter keeps it",
          task == null ? "?" : task.taskId(),
          e.toString());
    }
  }

  private void waitToRetry(Task task, int attempt, ProviderException failure, Duration delay)
      throws InterruptedException {
    LOG.info(
        "task {} attempt {} failed ({}); retrying in {} ms",
        task.taskId(),
        attempt,
        ProviderErrors.toErrorInfo(failure).code(),
        delay.toMillis());
    counters.retries.incrementAndGet();
    sleeper.sleep(delay);
  }

  private static String modelOf(Task task, CompletionResponse response) {
    return response.model() == null ? task.request().model() : response.model();
  }

  private void publishSuccess(
      Task task, CompletionResponse response, int attempts, Instant startedAt) {
    String model = modelOf(task, response);
    Instant finishedAt = clock.instant();
    TaskResult result =
        TaskResult.succeeded(
            task,
            response.output(),
            response.usage(),
            model,
            costs.costUsd(task.provider(), model, response.usage()),
            attempts,
            startedAt,
            finishedAt);
    sink.publish(result);
    counters.succeeded.incrementAndGet();
    counters.meters.finished("succeeded", startedAt, finishedAt);
  }

  /**
   * A structured answer satisfied the schema: the result carries it parsed and every call's cost.
   */
  private void publishStructured(Task task, String output, JsonNode json, Calls calls) {
    Instant finishedAt = clock.instant();
    CallTotals totals = calls.totals;
    TaskResult result =
        TaskResult.succeeded(
                task,
                output,
                totals.usage(),
                totals.model(),
                totals.costUsd(),
                calls.attempts,
                calls.startedAt,
                finishedAt)
            .withStructuredOutput(json, calls.repairs);
    sink.publish(result);
    counters.succeeded.incrementAndGet();
    counters.meters.finished("succeeded", calls.startedAt, finishedAt);
  }

  private void publishFailure(Task task, ErrorInfo error, Calls calls, Instant startedAt) {
    publishFailure(
        calls.counted(TaskResult.failed(task, error, calls.attempts, startedAt, clock.instant())));
  }

  private void publishFailure(Task task, ErrorInfo error, int attempts, Instant startedAt) {
    publishFailure(TaskResult.failed(task, error, attempts, startedAt, clock.instant()));
  }

  private void publishFailure(TaskResult failed) {
    sink.publish(failed);
    counters.failed.incrementAndGet();
    counters.meters.finished("failed", failed.startedAt(), failed.finishedAt());
    LOG.info(
        "task {} failed after {} attempt(s): {}; result published",
        failed.taskId(),
        failed.attempts(),
        failed.error().code());
  }

  /**
   * The job's deadline passed before the next attempt: no call, the task ends expired (with the
   * cost of any repair call's predecessors that were billed).
   */
  private void publishExpired(Task task, Calls calls) {
    int attempts = calls.attempts;
    sink.publish(
        calls.counted(TaskResult.expired(task, attempts, calls.startedAt, clock.instant())));
    LOG.info(
        "task {}: its job's deadline passed before attempt {}; not called, expired result"
            + " published",
        task.taskId(),
        attempts + 1);
  }

  /** The job was cancelled before the next attempt: no call, the task is dropped. */
  private void publishCancelled(Task task, Calls calls) {
    int attempts = calls.attempts;
    sink.publish(
        calls.counted(TaskResult.cancelled(task, attempts, calls.startedAt, clock.instant())));
    counters.cancelled.incrementAndGet();
    LOG.info(
        "task {}: its job was cancelled before attempt {}; not called, dropped",
        task.taskId(),
        attempts + 1);
  }

  private Verdict failPoison(Delivery delivery, Task task) {
    Instant now = clock.instant();
    String reason =
        "task delivered "
            + delivery.deliveryCount()
            + " times without an outcome (delivery limit "
            + deliveryLimit
            + "); not called again";
    LOG.warn("task {}: {}; dead-lettered and failed", task.taskId(), reason);
    sink.deadLetter(task.taskId(), deadLetterOf(delivery, reason, now));
    counters.deadLettered.incrementAndGet();
    publishFailure(task, ErrorInfo.permanent(DELIVERY_LIMIT_REACHED, reason), 0, now);
    return Verdict.ACCEPT;
  }

  private Verdict deadLetterUnreadable(Delivery delivery, String problem) {
    try {
      sink.deadLetter(
          delivery.key(), deadLetterOf(delivery, "unreadable task: " + problem, clock.instant()));
      counters.deadLettered.incrementAndGet();
      LOG.warn("unreadable record on {} dead-lettered and rejected", delivery.topic());
      return Verdict.REJECT;
    } catch (RuntimeException e) {
      LOG.warn(
          "unreadable record on {} could not be dead-lettered ({})",
          delivery.topic(),
          e.toString());
      return released();
    }
  }

  private static DeadLetter deadLetterOf(Delivery delivery, String reason, Instant now) {
    String payload =
        delivery.value() == null ? null : new String(delivery.value(), StandardCharsets.UTF_8);
    return DeadLetter.of(delivery.topic(), delivery.key(), reason, payload, now);
  }

  private static Verdict released() {
    return Verdict.RELEASE;
  }

  /** The provider's circuit breaker refused the call: wait, without counting an attempt. */
  private static final class CircuitOpen extends RuntimeException {
    CircuitOpen() {
      super("circuit open", null, false, false);
    }
  }
}
