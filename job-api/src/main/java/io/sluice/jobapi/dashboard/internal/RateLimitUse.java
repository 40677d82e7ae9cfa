package io.sluice.jobapi.dashboard.internal;

import io.sluice.jobapi.dashboard.DashboardSummary.LimitUse;
import io.sluice.jobapi.dashboard.DashboardSummary.Panel;
import io.sluice.ratelimit.BucketLimit;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.LimitState;
import io.sluice.ratelimit.StoreUnavailableException;
import io.sluice.ratelimit.postgres.PostgresLimitStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The rate limiters' use, from their shared state in PostgreSQL (schema {@code rate_limiter}, the
 * same database in {@code sluice local} and wherever the workers share job-api's): each bucket's
 * share of its per-period limit in use now, from its GCRA tat alone.
 */
public final class RateLimitUse {
  private final PostgresLimitStore store;
  private final Clock clock;

  public RateLimitUse(DataSource dataSource, Clock clock) {
    this.store = new PostgresLimitStore(dataSource);
    this.clock = clock;
  }

  /** Every limited provider model's buckets, or why they cannot be read. */
  public Panel<LimitUse> read() {
    Map<LimitKey, LimitState> states;
    try {
      states = store.readAll();
    } catch (StoreUnavailableException e) {
      return Panel.unavailable(
          "no shared rate-limit state in job-api's database (the workers run without limits, or"
              + " keep their limits in another database)");
    }
    Instant now = clock.instant();
    List<LimitUse> rows = new ArrayList<>();
    states.forEach(
        (key, state) -> {
          for (String bucket : state.bucketTats().keySet()) {
            try {
              rows.add(use(key, state, bucket, now));
            } catch (IllegalArgumentException e) {
              // a bucket written by a newer limiter than this job-api knows: left out
            }
          }
        });
    return Panel.of(rows);
  }

  private static LimitUse use(LimitKey key, LimitState state, String bucket, Instant now) {
    double percent = Math.round(state.usedShare(bucket, now) * 1000) / 10.0;
    return new LimitUse(
        key.provider(),
        key.account(),
        key.model(),
        BucketLimit.meterOf(bucket).name().toLowerCase(Locale.ROOT),
        BucketLimit.periodOf(bucket).toMillis() / 1e3,
        percent,
        state.inFlight(),
        state.pausedUntil().isAfter(now) ? state.pausedUntil() : null);
  }
}
