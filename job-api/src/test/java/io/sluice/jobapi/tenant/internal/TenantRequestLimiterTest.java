package io.sluice.jobapi.tenant.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.jobapi.tenant.RequestLimit;
import io.sluice.jobapi.tenant.RequestLimitExceededException;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.testing.ManualClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantRequestLimiterTest {
  private final ManualClock clock = new ManualClock();
  private final Tenant noisy = tenant("ten_noisy", null);
  private final Tenant quiet = tenant("ten_quiet", null);

  @Test
  void shouldKeepOneBucketPerTenant() {
    TenantRequestLimiter limiter = new TenantRequestLimiter(Optional.of(new RequestLimit(1, 2)));
    limiter.take(noisy, clock.instant());
    limiter.take(noisy, clock.instant());

    assertThatThrownBy(() -> limiter.take(noisy, clock.instant()))
        .isInstanceOf(RequestLimitExceededException.class)
        .hasMessageContaining("retry after 1 s");
    assertThatCode(() -> limiter.take(quiet, clock.instant())).doesNotThrowAnyException();
    assertThatCode(() -> limiter.take(quiet, clock.instant())).doesNotThrowAnyException();
  }

  @Test
  void shouldPreferTheTenantsOwnLimitToTheDefault() {
    TenantRequestLimiter limiter = new TenantRequestLimiter(Optional.of(new RequestLimit(1, 1)));
    Tenant generous = tenant("ten_generous", new RequestLimit(100, 5));

    for (int i = 0; i < 5; i++) {
      limiter.take(generous, clock.instant());
    }

    assertThatThrownBy(() -> limiter.take(generous, clock.instant()))
        .isInstanceOf(RequestLimitExceededException.class);
    clock.advance(Duration.ofMillis(10));
    assertThatCode(() -> limiter.take(generous, clock.instant())).doesNotThrowAnyException();
  }

  @Test
  void shouldNotLimitWithoutADefaultOrOwnLimit() {
    TenantRequestLimiter limiter = new TenantRequestLimiter(Optional.empty());

    assertThatCode(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                limiter.take(quiet, clock.instant());
              }
            })
        .doesNotThrowAnyException();
  }

  private Tenant tenant(String id, RequestLimit limit) {
    return new Tenant(id, id, clock.instant(), null, limit);
  }
}
