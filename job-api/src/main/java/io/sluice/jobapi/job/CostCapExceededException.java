package io.sluice.jobapi.job;

import io.sluice.mapreduce.MapReduceRefusal;

/**
 * A completion job refused before anything was stored because its estimated cost goes past its
 * {@code max_cost_usd} (HTTP 422 {@code limit_exceeded} naming the field, as for a map-reduce job's
 * cap: one {@link io.sluice.mapreduce.CostCap} rule for both).
 */
public final class CostCapExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public CostCapExceededException(MapReduceRefusal refusal) {
    super(refusal.getMessage());
    this.field = refusal.field();
  }

  /** The request field at fault: {@code max_cost_usd}. */
  public String field() {
    return field;
  }
}
