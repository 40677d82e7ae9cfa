package io.sluice.jobapi.mapreduce;

import io.sluice.mapreduce.MapReduceEstimate;
import io.sluice.mapreduce.MapReduceRefusal;
import java.util.Optional;

/**
 * A map-reduce request refused before anything was created (HTTP 422): a cap ({@code max_chunks},
 * {@code max_cost_usd}) below the estimate, or a request that cannot run as asked (chunks that do
 * not fit a call, a reduce that cannot converge within the depth bound).
 */
public final class MapReduceRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final transient MapReduceEstimate estimate;

  MapReduceRefused(MapReduceRefusal refusal, MapReduceEstimate estimate) {
    super(refusal.getMessage());
    this.field = refusal.field();
    this.estimate = estimate;
  }

  /** The request field at fault, e.g. {@code max_chunks}. */
  public String field() {
    return field;
  }

  /** The estimate the cap was checked against; empty when the request could not be planned. */
  public Optional<MapReduceEstimate> estimate() {
    return Optional.ofNullable(estimate);
  }

  /** Whether a cap of the request refused it (rather than the request being impossible). */
  public boolean isCap() {
    return estimate != null;
  }
}
