package io.sluice.simulator.internal.meter;

import io.sluice.simulator.Meter;
import io.sluice.simulator.MeterRow;
import io.sluice.simulator.MeterSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts calls per API, model and minute with lock-free adders. */
public final class MeterRecorder implements Meter {
  private final Clock clock;
  private final Map<Key, Counters> counters = new ConcurrentHashMap<>();

  public MeterRecorder(Clock clock) {
    this.clock = clock;
  }

  /** An accepted call, the tokens it used and the {@code max_tokens} it declared (0 if none). */
  public void accepted(
      String api, String model, long inputTokens, long outputTokens, long maxTokens) {
    Counters c = counters(api, model);
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

  @Override
  public MeterSnapshot snapshot() {
    List<MeterRow> rows =
        counters.entrySet().stream().map(e -> e.getValue().row(e.getKey())).toList();
    return new MeterSnapshot(rows);
  }

  @Override
  public void reset() {
    counters.clear();
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
          rateLimited.sum(),
          errors.sum());
    }
  }
}
