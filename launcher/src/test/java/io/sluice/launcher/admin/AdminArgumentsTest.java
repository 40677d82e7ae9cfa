package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.jobapi.tenant.RequestLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminArgumentsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void shouldReadExpiresInAsDaysHoursMinutesOrIso() {
    assertThat(AdminArguments.expiry("30d", null, NOW)).contains(NOW.plus(Duration.ofDays(30)));
    assertThat(AdminArguments.expiry("12h", null, NOW)).contains(NOW.plus(Duration.ofHours(12)));
    assertThat(AdminArguments.expiry("90m", null, NOW)).contains(NOW.plusSeconds(90 * 60));
    assertThat(AdminArguments.expiry("P2DT1H", null, NOW)).contains(NOW.plus(Duration.ofHours(49)));
    assertThat(AdminArguments.expiry(null, null, NOW)).isEmpty();
  }

  @Test
  void shouldReadExpiresAtAsATimeWithOffsetOrADateInUtc() {
    assertThat(AdminArguments.expiry(null, "2027-01-31T12:00:00+01:00", NOW))
        .contains(Instant.parse("2027-01-31T11:00:00Z"));
    assertThat(AdminArguments.expiry(null, "2027-01-31", NOW))
        .contains(Instant.parse("2027-01-31T00:00:00Z"));
  }

  @Test
  void shouldNameTheOptionOfABadExpiry() {
    assertThatThrownBy(() -> AdminArguments.expiry("soon", null, NOW))
        .hasMessageContaining("--expires-in")
        .hasMessageContaining("soon");
    assertThatThrownBy(() -> AdminArguments.expiry("0d", null, NOW))
        .hasMessageContaining("--expires-in");
    assertThatThrownBy(() -> AdminArguments.expiry(null, "tomorrow", NOW))
        .hasMessageContaining("--expires-at");
    assertThatThrownBy(() -> AdminArguments.expiry(null, "2026-12-06T10:00:00Z", NOW))
        .hasMessageContaining("--expires-at must be in the future");
    assertThatThrownBy(() -> AdminArguments.expiry("1d", "2027-01-01", NOW))
        .hasMessageContaining("--expires-in")
        .hasMessageContaining("--expires-at");
  }

  @Test
  void shouldReadARequestLimitWithABurstOfOneSecondByDefault() {
    assertThat(AdminArguments.requestLimit(null, null)).isEmpty();
    assertThat(AdminArguments.requestLimit("50", null))
        .contains(Optional.of(new RequestLimit(50, 50)));
    assertThat(AdminArguments.requestLimit("0.5", 3))
        .contains(Optional.of(new RequestLimit(0.5, 3)));
    assertThat(AdminArguments.requestLimit("default", null)).contains(Optional.empty());
  }

  @Test
  void shouldNameTheOptionOfABadRequestLimit() {
    assertThatThrownBy(() -> AdminArguments.requestLimit(null, 5))
        .hasMessageContaining("--burst needs --requests-per-second");
    assertThatThrownBy(() -> AdminArguments.requestLimit("fast", null))
        .hasMessageContaining("--requests-per-second")
        .hasMessageContaining("fast");
    assertThatThrownBy(() -> AdminArguments.requestLimit("0", null))
        .hasMessageContaining("--requests-per-second");
    assertThatThrownBy(() -> AdminArguments.requestLimit("NaN", null))
        .hasMessageContaining("--requests-per-second");
    assertThatThrownBy(() -> AdminArguments.requestLimit("5", 0)).hasMessageStartingWith("--burst");
    assertThatThrownBy(() -> AdminArguments.requestLimit("default", 5))
        .hasMessageContaining("--burst");
  }
}
