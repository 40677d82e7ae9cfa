package io.sluice.workers.internal;

import io.sluice.providers.CompletionResponse;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderException;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.ratelimit.Demand;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.ProviderRateLimitReport;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.Reservation;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.tokens.TokenEstimator;
import io.sluice.workers.Admission;
import io.sluice.workers.InputTokenEstimate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limiter as the call side of the pool's {@link Admission} (it never limits slots): key
 * {@code (task provider, account, model)}, demand one request + input tokens ({@link
 * TokenEstimator#inputTokens}, the estimate the dispatcher puts on tasks, or the task's own figure;
 * see {@link InputTokenEstimate}) + {@code max_tokens} ({@link ProviderConfig#DEFAULT_MAX_TOKENS}
 * when the task sets none).
 *
 * <p>Each admission is a transaction on the shared store's row of the key, so the gate keeps the
 * store calm: at most {@value #ASKERS_PER_KEY} of this instance's threads ask at once, and after a
 * deferral nobody asks again before its {@code notBefore}. While one of this instance's tasks holds
 * its place in the limiter's queue, that task asks first ({@link AskOrder}).
 */
public final class RateLimitGate implements Admission {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimitGate.class);

  static final int ASKERS_PER_KEY = 2;

  private final RateLimiter limiter;
  private final String account;
  private final InputTokenEstimate inputTokenEstimate;
  private final Set<LimitKey> unconfigured = ConcurrentHashMap.newKeySet();
  private final Map<LimitKey, AskOrder> order = new ConcurrentHashMap<>();
  private final Map<LimitKey, Semaphore> askers = new ConcurrentHashMap<>();
  private final Clock clock;

  public RateLimitGate(
      RateLimiter limiter, String account, InputTokenEstimate inputTokenEstimate, Clock clock) {
    this.limiter = limiter;
    this.account = account;
    this.inputTokenEstimate = inputTokenEstimate;
    this.clock = clock;
  }

  @Override
  public boolean tryAcquire(Lane lane) {
    return true;
  }

  @Override
  public void release(Lane lane) {}

  @Override
  public Decision admit(Task task) {
    LimitKey key = new LimitKey(task.provider(), account, task.request().model());
    if (!limiter.keys().contains(key)) {
      if (unconfigured.add(key)) {
        LOG.warn("no rate limits configured for {}; its calls are not limited", key);
      }
      return new Go(Permit.NONE);
    }
    Optional<Instant> wait = waitFor(key, task);
    if (wait.isPresent()) {
      return new Wait(wait.get(), "deferred");
    }
    Semaphore asking = askers.computeIfAbsent(key, k -> new Semaphore(ASKERS_PER_KEY, true));
    asking.acquireUninterruptibly();
    try {
      return ask(key, task);
    } finally {
      asking.release();
    }
  }

  private Optional<Instant> waitFor(LimitKey key, Task task) {
    return order.getOrDefault(key, AskOrder.NONE).waitFor(task.taskId(), clock.instant());
  }

  private Decision ask(LimitKey key, Task task) {
    Optional<Instant> wait = waitFor(key, task);
    if (wait.isPresent()) {
      return new Wait(wait.get(), "deferred");
    }
    return switch (limiter.tryReserve(key, demandOf(task))) {
      case io.sluice.ratelimit.Admission.Granted granted -> {
        order.computeIfPresent(key, (k, known) -> known.granted());
        yield new Go(new LimiterPermit(key, granted.reservation()));
      }
      case io.sluice.ratelimit.Admission.Deferred deferred -> {
        order.merge(
            key,
            AskOrder.NONE.deferred(task.taskId(), deferred),
            (known, none) -> known.deferred(task.taskId(), deferred));
        yield new Wait(deferred.notBefore(), deferred.blockedBy());
      }
      case io.sluice.ratelimit.Admission.Refused refused -> new Never(refused.reason());
    };
  }

  /** The reservation for a task: one request, its input tokens and its output allowance. */
  public Demand demandOf(Task task) {
    CompletionSpec request = task.request();
    long output =
        request.maxTokens() == null ? ProviderConfig.DEFAULT_MAX_TOKENS : request.maxTokens();
    return Demand.ofCall(inputTokensOf(task), output);
  }

  private long inputTokensOf(Task task) {
    return switch (inputTokenEstimate) {
      case TASK_ESTIMATE -> task.estimatedInputTokens();
      case COUNTED -> TokenEstimator.inputTokens(task.request());
    };
  }

  private final class LimiterPermit implements Permit {
    private final LimitKey key;
    private final Reservation reservation;

    LimiterPermit(LimitKey key, Reservation reservation) {
      this.key = key;
      this.reservation = reservation;
    }

    @Override
    public void succeeded(CompletionResponse response) {
      limiter.calibrate(
          key, reportOf(response.rateLimits()).withAdmittedCall(reservation.estimated()));
      if (response.usage() == null) {
        limiter.keepCharged(reservation);
      } else {
        limiter.reconcile(reservation, response.usage());
      }
    }

    @Override
    public void failed(ProviderException failure) {
      if (failure.isRateLimited()) {
        limiter.rateLimited(key, failure.retryAfter().orElse(null), reportOf(failure.rateLimits()));
      } else {
        limiter.calibrate(key, reportOf(failure.rateLimits()));
      }
      limiter.keepCharged(reservation);
    }

    /** The provider counted the figures when the call arrived, just after its admission. */
    private ProviderRateLimitReport reportOf(RateLimitSnapshot snapshot) {
      return RateLimitReports.of(snapshot).withObservedAt(reservation.admittedAt());
    }

    @Override
    public void notCalled() {
      limiter.release(reservation);
    }
  }
}
