package io.sluice.jobapi.mapreduce;

import io.sluice.mapreduce.PriceBasis;
import io.sluice.schemas.job.Mode;

/** The price a job's caps are checked at: batch for a deferred job, else realtime (the higher). */
public final class PricePolicy {
  private PricePolicy() {}

  public static PriceBasis basisOf(Mode mode) {
    return mode == Mode.DEFERRED ? PriceBasis.BATCH : PriceBasis.REALTIME;
  }
}
