package io.sluice.mapreduce;

/** Which price a call pays: realtime, or a provider batch's (half, at both providers). */
public enum PriceBasis {
  REALTIME,
  BATCH
}
