package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.providers.CompletionResponse;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.ratelimit.Demand;
import io.sluice.ratelimit.InMemoryLimitStore;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.testing.ManualClock;
import io.sluice.tokens.TokenEstimator;
import io.sluice.workers.Admission;
import io.sluice.workers.InputTokenEstimate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitGateTest {
  private static final String PROMPT = "Summarise the quarterly report in three sentences, please.";
  private static final List<ChatMessage> MESSAGES = List.of(ChatMessage.user(PROMPT));
  private static final ObjectNode SCHEMA =
      JsonNodeFactory.instance
          .objectNode()
          .put("type", "object")
          .set("properties", JsonNodeFactory.instance.objectNode());
  private static final long COUNTED =
      TokenEstimator.inputTokens(new CompletionSpec("gpt-4o-mini", MESSAGES, null, null, null));

  private final RateLimiter limiter =
      RateLimiter.builder()
          .store(new InMemoryLimitStore())
          .limits(new LimitKey("openai", "default", "gpt-4o-mini"), RateLimits.openAi(500, 200_000))
          .build();

  private RateLimitGate gate(InputTokenEstimate estimate) {
    return new RateLimitGate(limiter, "default", estimate, Clock.systemUTC());
  }

  @Test
  void shouldReserveTheOneEstimatorsCountWhenTheTaskEstimatesLess() {
    Demand demand = gate(InputTokenEstimate.COUNTED).demandOf(task(COUNTED / 2, 300));

    assertThat(demand).isEqualTo(Demand.ofCall(COUNTED, 300));
  }

  @Test
  void shouldReserveTheOneEstimatorsCountWhenTheTaskEstimatesMore() {
    Demand demand = gate(InputTokenEstimate.COUNTED).demandOf(task(COUNTED * 3, 300));

    assertThat(demand).isEqualTo(Demand.ofCall(COUNTED, 300));
  }

  @Test
  void shouldCountTheResponseSchemaAsTheDispatchersEstimateDoes() {
    CompletionSpec structured = new CompletionSpec("gpt-4o-mini", MESSAGES, 300, null, SCHEMA);
    Task task = task(1, 300);
    Task withSchema =
        new Task(
            task.schemaVersion(),
            task.taskId(),
            task.jobId(),
            task.tenantId(),
            task.provider(),
            task.lane(),
            structured,
            1,
            task.createdAt(),
            null);

    Demand demand = gate(InputTokenEstimate.COUNTED).demandOf(withSchema);

    assertThat(demand).isEqualTo(Demand.ofCall(TokenEstimator.inputTokens(structured), 300));
    assertThat(TokenEstimator.inputTokens(structured)).isGreaterThan(COUNTED);
  }

  @Test
  void shouldReserveTheTaskEstimateAsGivenWhenConfiguredToTrustIt() {
    Demand demand = gate(InputTokenEstimate.TASK_ESTIMATE).demandOf(task(COUNTED / 2, 300));

    assertThat(demand).isEqualTo(Demand.ofCall(COUNTED / 2, 300));
  }

  @Test
  void shouldReserveTheDefaultOutputAllowanceWhenTheTaskSetsNoMaxTokens() {
    Demand demand = gate(InputTokenEstimate.COUNTED).demandOf(task(COUNTED, null));

    assertThat(demand).isEqualTo(Demand.ofCall(COUNTED, ProviderConfig.DEFAULT_MAX_TOKENS));
  }

  /**
   * Another instance drained a bucket of 6,000 tokens a minute; this instance holds a large and a
   * small task. The large one's deferral holds the instance's place, so the small one, which the
   * bucket would hold at once (the turn is this instance's), does not ask: the large one asks
   * first, at its hint, and is admitted.
   */
  @Test
  void shouldAskWithTheTaskThatHoldsTheInstancesPlaceFirst() {
    ManualClock clock = new ManualClock();
    InMemoryLimitStore store = new InMemoryLimitStore();
    LimitKey key = new LimitKey("openai", "default", "gpt-4o-mini");
    RateLimiter other = limiter(store, clock, key, "other");
    RateLimiter self = limiter(store, clock, key, "self");
    assertThat(other.tryReserve(key, Demand.ofCall(5_000, 0)).isGranted()).isTrue();
    other.close();
    RateLimitGate gate =
        new RateLimitGate(self, "default", InputTokenEstimate.TASK_ESTIMATE, clock);
    Task large = task("job-large", 3_000, 1);
    Task small = task("job-small", 300, 1);

    Admission.Wait largeWaits = (Admission.Wait) gate.admit(large);
    clock.advanceMillis(1);
    Admission.Wait smallWaits = (Admission.Wait) gate.admit(small);
    clock.set(ManualClock.START.plusSeconds(5));
    Admission.Wait smallAtItsOwnHint = (Admission.Wait) gate.admit(small);
    clock.set(largeWaits.notBefore());
    Admission.Decision largeAtItsHint = gate.admit(large);

    assertThat(smallWaits.notBefore())
        .isEqualTo(largeWaits.notBefore().plus(AskOrder.HOLDER_GRACE));
    assertThat(smallAtItsOwnHint.blockedBy()).as("not asked").isEqualTo("deferred");
    assertThat(largeAtItsHint).isInstanceOf(Admission.Go.class);
    assertThat(((Admission.Wait) gate.admit(small)).blockedBy())
        .as("asked, after the large one")
        .isEqualTo("TOKENS/60s");
  }

  /**
   * Anthropic's output limit enforced per second holds 133 tokens; the headers of a call asking for
   * 885 say none is left (rounded to thousands) until the next second. Told what the call asked
   * for, calibration knows the call emptied the window and rounding hides nothing of it: a window
   * of 133 tokens, not the 566 (4.2 s) that counting the rounding gives.
   */
  @Test
  void shouldTellCalibrationWhatTheAdmittedCallAskedFor() {
    ManualClock clock = new ManualClock();
    InMemoryLimitStore store = new InMemoryLimitStore();
    LimitKey key = new LimitKey("anthropic", "default", "claude-sonnet-4-5");
    RateLimiter self =
        RateLimiter.builder()
            .store(store)
            .clock(clock)
            .instanceId("self")
            .limits(key, RateLimits.anthropic(50, 30_000, 8_000))
            .build();
    RateLimitGate gate =
        new RateLimitGate(self, "default", InputTokenEstimate.TASK_ESTIMATE, clock);
    Task task =
        new Task(
            Versioned.CURRENT,
            Task.completionTaskId("job-1"),
            "job-1",
            "tenant-1",
            "anthropic",
            Lane.STANDARD,
            new CompletionSpec("claude-sonnet-4-5", MESSAGES, 885, null, null),
            2_000,
            Instant.parse("2026-01-01T00:00:00Z"),
            null);
    Instant reset = clock.instant().plusSeconds(1);
    RateLimitSnapshot headers =
        new RateLimitSnapshot(
            50L, 0L, reset, 30_000L, 0L, reset, 30_000L, 0L, reset, 8_000L, 0L, reset);

    Admission.Go go = (Admission.Go) gate.admit(task);
    go.permit()
        .succeeded(
            new CompletionResponse("ok", new TokenUsage(2_000, 40), "claude", headers, null));

    assertThat(store.read(key).drift("OUTPUT_TOKENS/60s").windowNanos()).isEqualTo(997_500_000L);
  }

  private static RateLimiter limiter(
      InMemoryLimitStore store, ManualClock clock, LimitKey key, String instance) {
    return RateLimiter.builder()
        .store(store)
        .clock(clock)
        .instanceId(instance)
        .limits(key, RateLimits.builder().tokensPerMinute(6_000).build())
        .build();
  }

  private static Task task(String jobId, long estimatedInputTokens, Integer maxTokens) {
    return new Task(
        Versioned.CURRENT,
        Task.completionTaskId(jobId),
        jobId,
        "tenant-1",
        "openai",
        Lane.STANDARD,
        new CompletionSpec("gpt-4o-mini", MESSAGES, maxTokens, null, null),
        estimatedInputTokens,
        Instant.parse("2026-01-01T00:00:00Z"),
        null);
  }

  private static Task task(long estimatedInputTokens, Integer maxTokens) {
    return task("job-1", estimatedInputTokens, maxTokens);
  }
}
