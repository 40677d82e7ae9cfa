package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.workers.Tasks;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WorkerMetrics metrics = new WorkerMetrics(registry, "openai");
  private final Task task = Tasks.aTask("openai", Lane.BULK, "reverse: x");

  @Test
  void callsAreCountedByModelAndOutcomeWithFailuresByClass() {
    metrics.call(task, 1_000_000, null);
    metrics.call(task, 1_000_000, failure(429));
    metrics.call(task, 1_000_000, failure(503));
    metrics.call(task, 1_000_000, ProviderException.permanent("openai", 400, "bad", "m", null));

    String model = task.request().model();
    for (String outcome :
        new String[] {"success", "rate_limited", "retriable_error", "permanent_error"}) {
      assertThat(
              registry
                  .get("sluice.provider.calls")
                  .tags("provider", "openai", "model", model, "outcome", outcome)
                  .counter()
                  .count())
          .as(outcome)
          .isEqualTo(1);
    }
    assertThat(registry.get("sluice.provider.rate.limited").counter().count()).isEqualTo(1);
    assertThat(registry.get("sluice.provider.call").tags("model", model).timer().count())
        .isEqualTo(4);
  }

  @Test
  void queuedToStartedRunsFromTheJobsAcceptanceAndRunTimeFromTheFirstCall() {
    Instant started = task.createdAt().plusSeconds(3);

    metrics.started(task, started, Duration.ofMillis(250));
    metrics.finished("succeeded", started, started.plusMillis(1500));

    assertThat(
            registry
                .get("sluice.task.queued.to.started")
                .tags("lane", "bulk")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(3000);
    assertThat(registry.get("sluice.ratelimit.wait").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(250);
    assertThat(
            registry
                .get("sluice.task.run")
                .tags("outcome", "succeeded")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(1500);
  }

  @Test
  void thePoolsCountersAreReadAtScrapeTimeAndRemovedWhenThePoolStops() {
    Counters counters = new Counters(metrics);
    counters.succeeded.addAndGet(5);
    counters.inFlight.set(2);
    counters.repairs.addAndGet(3);

    assertThat(
            registry
                .get("sluice.worker.tasks")
                .tags("outcome", "succeeded")
                .functionCounter()
                .count())
        .isEqualTo(5);
    assertThat(registry.get("sluice.worker.tasks.in.flight").gauge().value()).isEqualTo(2);
    assertThat(registry.get("sluice.worker.repairs").functionCounter().count()).isEqualTo(3);

    counters.closeMeters();
    assertThat(registry.find("sluice.worker.tasks").meters()).isEmpty();
  }

  private static ProviderException failure(int status) {
    return ProviderException.retriable("openai", status, "e", "m", null, null, null);
  }
}
