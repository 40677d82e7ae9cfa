package io.sluice.dispatcher.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import java.util.Locale;

/**
 * The dispatcher's meters. Counted when a processor forwards, so a Streams transaction that aborts
 * and is processed again counts its records twice: the counts are for rates, not for bookkeeping.
 *
 * <ul>
 *   <li>{@code sluice_tasks_dispatched_total{provider,lane}}: tasks routed to a lane topic
 *   <li>{@code sluice_jobs_rejected_total}: jobs failed at dispatch (unknown model, too large...)
 *   <li>{@code sluice_task_results_processed_total{outcome,handling}}: task results read, by the
 *       result's outcome and what completion made of it ({@code recorded}, {@code duplicate},
 *       {@code dead_lettered})
 * </ul>
 */
public final class DispatchMetrics {
  /** What completion made of a task result. */
  public enum Handling {
    RECORDED,
    DUPLICATE,
    DEAD_LETTERED;

    private final String tag = name().toLowerCase(Locale.ROOT);
  }

  private final MeterProvider<Counter> dispatched;
  private final Counter rejected;
  private final MeterProvider<Counter> results;

  public DispatchMetrics(MeterRegistry registry) {
    dispatched =
        Counter.builder("sluice.tasks.dispatched")
            .description("Tasks routed to a lane topic, by provider and lane")
            .withRegistry(registry);
    rejected =
        Counter.builder("sluice.jobs.rejected")
            .description("Jobs failed at dispatch (no route, too large)")
            .register(registry);
    results =
        Counter.builder("sluice.task.results.processed")
            .description("Task results read by the dispatcher, by outcome and handling")
            .withRegistry(registry);
  }

  void dispatched(Task task) {
    dispatched
        .withTags("provider", task.provider(), "lane", task.lane().topicSegment())
        .increment();
  }

  void rejected() {
    rejected.increment();
  }

  void result(TaskResult result, Handling handling) {
    results
        .withTags(
            "outcome", result.outcome().name().toLowerCase(Locale.ROOT), "handling", handling.tag)
        .increment();
  }
}
