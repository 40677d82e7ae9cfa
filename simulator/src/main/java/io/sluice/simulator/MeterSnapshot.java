package io.sluice.simulator;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A copy of the meter: one row per API, model and minute, ordered by minute, API and model; and the
 * batch queues, one row per API and model plus one per API for the whole account (model {@code *}).
 */
public record MeterSnapshot(List<MeterRow> rows, List<BatchQueueRow> batchQueues) {
  private static final Comparator<MeterRow> ORDER =
      Comparator.comparing(MeterRow::minute)
          .thenComparing(MeterRow::api)
          .thenComparing(MeterRow::model);

  public MeterSnapshot {
    rows = rows.stream().sorted(ORDER).toList();
    batchQueues =
        batchQueues.stream()
            .sorted(Comparator.comparing(BatchQueueRow::api).thenComparing(BatchQueueRow::model))
            .toList();
  }

  /** A snapshot without batch queues. */
  public MeterSnapshot(List<MeterRow> rows) {
    this(rows, List.of());
  }

  /**
   * The batch queue of one API and model ({@link BatchQueueRow#ACCOUNT} for the whole account); an
   * empty row when nothing was queued.
   */
  public BatchQueueRow batchQueue(String api, String model) {
    return batchQueues.stream()
        .filter(row -> row.api().equals(api) && row.model().equals(model))
        .findFirst()
        .orElse(BatchQueueRow.empty(api, model));
  }

  /** The sum over all minutes and APIs for one model. */
  public MeterRow total(String model) {
    return rows.stream()
        .filter(row -> row.model().equals(model))
        .reduce(empty("*", model), MeterRow::plus, MeterRow::plus);
  }

  /** The sum over everything. */
  public MeterRow total() {
    return rows.stream().reduce(empty("*", "*"), MeterRow::plus, MeterRow::plus);
  }

  /** The rows of one minute (its start, by the simulator's clock). */
  public List<MeterRow> minute(Instant minuteStart) {
    return rows.stream().filter(row -> row.minute().equals(minuteStart)).toList();
  }

  private static MeterRow empty(String api, String model) {
    return new MeterRow(api, model, null, 0, 0, 0, 0, 0, 0, 0);
  }
}
