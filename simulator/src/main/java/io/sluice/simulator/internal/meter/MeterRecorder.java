package io.sluice.simulator.internal.meter;

import io.sluice.simulator.BatchQueueRow;
import io.sluice.simulator.Meter;
import io.sluice.simulator.MeterRow;
import io.sluice.simulator.MeterSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts calls per API, model and minute with lock-free adders. */
public final class MeterRecorder implements Meter {
  private final Clock clock;
  private final Map<Key, Counters> counters = new ConcurrentHashMap<>();
  private final Map<QueueKey, QueueCounters> queues = new ConcurrentHashMap<>();

  public MeterRecorder(Clock clock) {
    this.clock = clock;
  }

  /**
   * An accepted call, the tokens it used, the {@code max_tokens} it declared (0 if none) and the
   * tokens the rate limiter charged it at admission.
   */
  public void accepted(
      String api,
      String model,
      long inputTokens,
      long outputTokens,
      long maxTokens,
      long chargedTokens) {
    Counters c = counters(api, model);
    c.chargedTokens.add(chargedTokens);
    c.requests.increment();
    c.inputTokens.add(inputTokens);
    c.outputTokens.add(outputTokens);
    c.maxTokens.add(maxTokens);
  }

  /** A call refused by the rate limiter. */
  public void rateLimited(String api, String model) {
    counters(api, model).rateLimited.increment();
  }

  /** Any other error answer. */
  public void error(String api, String model) {
    counters(api, model).errors.increment();
  }

  /**
   * A batch accepted into a queue: its lines, and the queue's tokens and unfinished requests with
   * it (a candidate for the peaks). Use model {@link BatchQueueRow#ACCOUNT} for account totals.
   */
  public void batchQueued(
      String api, String model, long lines, long queuedTokens, long queuedRequests) {
    QueueCounters c = queue(api, model);
    c.batches.increment();
    c.lines.add(lines);
    c.peakTokens.accumulateAndGet(queuedTokens, Math::max);
    c.peakRequests.accumulateAndGet(queuedRequests, Math::max);
  }

  /** A batch refused because the queue was full. */
  public void batchQueueRefused(String api, String model) {
    queue(api, model).queueRefusals.increment();
  }

  /** A batch creation refused by the creations-per-hour limit. */
  public void batchCreationRefused(String api, String model) {
    queue(api, model).creationRefusals.increment();
  }

  @Override
  public MeterSnapshot snapshot() {
    List<MeterRow> rows =
        counters.entrySet().stream().map(e -> e.getValue().row(e.getKey())).toList();
    List<BatchQueueRow> batchQueues =
        queues.entrySet().stream().map(e -> e.getValue().row(e.getKey())).toList();
    return new MeterSnapshot(rows, batchQueues);
  }

  @Override
  public void reset() {
    counters.clear();
    queues.clear();
  }

  private QueueCounters queue(String api, String model) {
    String name = model == null || model.isBlank() ? "-" : model;
    return queues.computeIfAbsent(new QueueKey(api, name), k -> new QueueCounters());
  }

  private record QueueKey(String api, String model) {}

  private static final class QueueCounters {
    final LongAdder batches = new LongAdder();
    final LongAdder lines = new LongAdder();
    final LongAdder queueRefusals = new LongAdder();
    final LongAdder creationRefusals = new LongAdder();
    final AtomicLong peakTokens = new AtomicLong();
    final AtomicLong peakRequests = new AtomicLong();

    BatchQueueRow row(QueueKey key) {
      return new BatchQueueRow(
          key.api(),
          key.model(),
          batches.sum(),
          lines.sum(),
          queueRefusals.sum(),
          creationRefusals.sum(),
          peakTokens.get(),
          peakRequests.get());
    }
  }

  private Counters counters(String api, String model) {
    Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    String name = model == null || model.isBlank() ? "-" : model;
    return counters.computeIfAbsent(new Key(api, name, minute), k -> new Counters());
  }

  private record Key(String api, String model, Instant minute) {}

  private static final class Counters {
    final LongAdder requests = new LongAdder();
    final LongAdder inputTokens = new LongAdder();
    final LongAdder outputTokens = new LongAdder();
    final LongAdder maxTokens = new LongAdder();
    final LongAdder chargedTokens = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder errors = new LongAdder();

    MeterRow row(Key key) {
      return new MeterRow(
          key.api(),
          key.model(),
          key.minute(),
          requests.sum(),
          inputTokens.sum(),
          outputTokens.sum(),
          maxTokens.sum(),
          chargedTokens.sum(),
          rateLimited.sum(),
          errors.sum());
    }
  }
}
