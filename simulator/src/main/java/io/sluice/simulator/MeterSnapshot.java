package io.sluice.simulator;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** A copy of the meter: one row per API, model and minute, ordered by minute, API and model. */
public record MeterSnapshot(List<MeterRow> rows) {
  private static final Comparator<MeterRow> ORDER =
      Comparator.comparing(MeterRow::minute)
          .thenComparing(MeterRow::api)
          .thenComparing(MeterRow::model);

  public MeterSnapshot {
    rows = rows.stream().sorted(ORDER).toList();
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
    return new MeterRow(api, model, null, 0, 0, 0, 0, 0, 0);
  }
}
