package io.sluice.bench.measure;

/**
 * How much of one limit a window used.
 *
 * @param limit the limit's name, e.g. {@code tpm}
 * @param perMinute the rate measured over the window
 * @param limitPerMinute the limit
 * @param share {@code perMinute ÷ limitPerMinute}
 */
public record LimitUse(String limit, double perMinute, long limitPerMinute, double share) {
  static LimitUse of(String limit, double perMinute, long limitPerMinute) {
    return new LimitUse(limit, perMinute, limitPerMinute, perMinute / limitPerMinute);
  }
}
