package io.sluice.batch.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.batch.plan.ItemState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deferred lane's gauges, read from PostgreSQL at most once a second however often they are
 * scraped:
 *
 * <ul>
 *   <li>{@code sluice_batch_pending_items{state}}: items not yet published, by state ({@code
 *       pending}: waiting for a batch, {@code in_batch}, {@code falling_back}, {@code done}: result
 *       not yet published)
 *   <li>{@code sluice_batch_enqueued_tokens}: estimated input tokens of the items in provider
 *       batches now (what counts against the providers' batch queue limits)
 * </ul>
 */
final class BatchMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchMetrics.class);
  private static final Duration FRESH = Duration.ofSeconds(1);
  private static final List<ItemState> LIVE =
      List.of(ItemState.PENDING, ItemState.IN_BATCH, ItemState.FALLING_BACK, ItemState.DONE);

  private record Figures(Instant readAt, Map<ItemState, Long> items, long enqueuedTokens) {}

  private final Store store;
  private final Clock clock;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private Figures figures;

  private BatchMetrics(Store store, Clock clock, MeterRegistry registry) {
    this.store = store;
    this.clock = clock;
    this.registry = registry;
  }

  /** Registers the gauges; closing removes them. */
  static BatchMetrics register(Store store, Clock clock, MeterRegistry registry) {
    BatchMetrics metrics = new BatchMetrics(store, clock, registry);
    for (ItemState state : LIVE) {
      metrics.meters.add(
          Gauge.builder("sluice.batch.pending.items", metrics, m -> m.items(state))
              .description("Deferred-lane items not yet published, by state")
              .tag("state", state.name().toLowerCase(Locale.ROOT))
              .strongReference(true)
              .register(registry));
    }
    metrics.meters.add(
        Gauge.builder("sluice.batch.enqueued.tokens", metrics, BatchMetrics::enqueuedTokens)
            .description("Estimated input tokens of the items in provider batches now")
            .strongReference(true)
            .register(registry));
    return metrics;
  }

  private double items(ItemState state) {
    Figures now = figures();
    return now == null ? Double.NaN : now.items().getOrDefault(state, 0L);
  }

  private double enqueuedTokens() {
    Figures now = figures();
    return now == null ? Double.NaN : now.enqueuedTokens();
  }

  private synchronized Figures figures() {
    Instant now = clock.instant();
    if (figures != null && figures.readAt().plus(FRESH).isAfter(now)) {
      return figures;
    }
    try {
      figures =
          store
              .db()
              .inTransaction(
                  "read the deferred lane's figures",
                  c ->
                      new Figures(
                          now, store.items().countByState(c), store.items().enqueuedTokens(c)));
      return figures;
    } catch (RuntimeException e) {
      LOG.debug("deferred lane figures not read: {}", e.getClass().getSimpleName());
      return null;
    }
  }

  @Override
  public void close() {
    meters.forEach(registry::remove);
  }
}
