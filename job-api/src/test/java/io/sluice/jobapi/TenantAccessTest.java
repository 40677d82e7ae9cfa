package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.tenant.ApiKeyInfo;
import io.sluice.jobapi.tenant.ApiKeyInfo.KeyStatus;
import io.sluice.jobapi.tenant.IssuedApiKey;
import io.sluice.jobapi.tenant.RequestLimit;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.jobapi.tenant.TenantAdmin;
import io.sluice.testing.ManualClock;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What operators change about tenants and keys (expiry, disabling, request limits) as the API sees
 * it, on a settable clock. Its key cache (2 s by default) follows the same clock; the admin of the
 * same instance clears it at once.
 */
class TenantAccessTest {
  private static final ManualClock CLOCK = new ManualClock(Instant.now());

  private static JobApiFixture fixture;
  private static TenantAdmin admin;
  private static TenantDatabase operator;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start(s -> s.clock(CLOCK));
    admin = fixture.api.admin();
    operator =
        TenantDatabase.open(
            fixture.database.jdbcUrl(),
            fixture.database.username(),
            fixture.database.password(),
            CLOCK);
  }

  @AfterAll
  static void stopApi() {
    operator.close();
    fixture.close();
  }

  @Test
  void shouldRefuseAKeyFromItsExpiryOn() {
    Tenant tenant = admin.createTenant(TestInfrastructure.uniqueName("expiring"));
    IssuedApiKey key = admin.issueKey(tenant.id(), CLOCK.instant().plus(Duration.ofDays(30)));
    JobApiFixture.Client client = fixture.new Client(tenant, key.plaintext());
    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(202);

    CLOCK.advance(Duration.ofDays(30).minusMillis(1));
    HttpResponse<String> justBefore = client.submit(VALID_BODY);
    CLOCK.advanceMillis(1);
    HttpResponse<String> atExpiry = client.submit(VALID_BODY);

    assertThat(justBefore.statusCode()).isEqualTo(202);
    assertThat(atExpiry.statusCode()).isEqualTo(401);
    assertThat(json(atExpiry).at("/error/type").asText()).isEqualTo("authentication_failed");
    assertThat(json(atExpiry).at("/error/message").asText()).contains("expired");
    assertThat(client.jobCount()).isEqualTo(2);
    assertThat(admin.listAllKeys(tenant.id()))
        .singleElement()
        .extracting(k -> k.statusAt(CLOCK.instant()))
        .isEqualTo(KeyStatus.EXPIRED);
  }

  @Test
  void shouldRefuseToIssueAKeyThatHasAlreadyExpired() {
    Tenant tenant = admin.createTenant(TestInfrastructure.uniqueName("past"));

    assertThatThrownBy(() -> admin.issueKey(tenant.id(), CLOCK.instant()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("future");
    assertThat(admin.listAllKeys(tenant.id())).isEmpty();
  }

  @Test
  void shouldRefuseEveryKeyOfADisabledTenantUntilItIsEnabledAgain() {
    JobApiFixture.Client client = fixture.newClient();
    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(202);

    Tenant disabled = admin.disableTenant(client.tenant.id()).orElseThrow();
    HttpResponse<String> whileDisabled = client.submit(VALID_BODY);
    admin.enableTenant(client.tenant.id());
    HttpResponse<String> afterEnabling = client.submit(VALID_BODY);

    assertThat(disabled.disabledAt()).isEqualTo(CLOCK.instant().truncatedTo(ChronoUnit.MILLIS));
    assertThat(whileDisabled.statusCode()).isEqualTo(401);
    assertThat(json(whileDisabled).at("/error/message").asText()).contains("disabled");
    assertThat(afterEnabling.statusCode()).isEqualTo(202);
    assertThat(client.jobCount()).isEqualTo(2);
    assertThat(admin.disableTenant("ten_missing")).isEmpty();
  }

  @Test
  void shouldRefuseAKeyRevokedOnAnotherInstanceOnceTheCacheTimeHasPassed() {
    JobApiFixture.Client client = fixture.newClient();
    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(202);
    ApiKeyInfo key = admin.listKeys(client.tenant.id()).getFirst();

    assertThat(operator.admin().revokeKey(key.id()))
        .get()
        .extracting(ApiKeyInfo::revokedAt)
        .isNotNull();
    HttpResponse<String> withinCacheTime = client.submit(VALID_BODY);
    CLOCK.advance(Duration.ofSeconds(2));
    HttpResponse<String> afterCacheTime = client.submit(VALID_BODY);

    assertThat(withinCacheTime.statusCode()).isEqualTo(202);
    assertThat(afterCacheTime.statusCode()).isEqualTo(401);
    assertThat(json(afterCacheTime).at("/error/message").asText()).contains("revoked");
    assertThat(operator.admin().revokeKey("key_missing")).isEmpty();
  }

  @Test
  void shouldAnswer429WithRetryAfterOverTheTenantsLimitAndStoreNothing() {
    Tenant limited =
        admin.createTenant(TestInfrastructure.uniqueName("limited"), new RequestLimit(0.5, 2));
    JobApiFixture.Client client =
        fixture.new Client(limited, admin.issueKey(limited.id()).plaintext());
    JobApiFixture.Client other = fixture.newClient();

    HttpResponse<String> first = client.submit(VALID_BODY);
    HttpResponse<String> second = client.submit(VALID_BODY);
    HttpResponse<String> third = client.submit(VALID_BODY);
    HttpResponse<String> otherTenant = other.submit(VALID_BODY);

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).contains("2");
    assertThat(json(third).at("/error/type").asText()).isEqualTo("rate_limited");
    assertThat(otherTenant.statusCode()).isEqualTo(202);
    assertThat(client.jobCount()).isEqualTo(2);

    CLOCK.advance(Duration.ofSeconds(2));
    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(202);
  }

  @Test
  void shouldApplyALimitChangedByTheAdminAndReturnToTheDefault() {
    JobApiFixture.Client client = fixture.newClient();
    admin.setRequestLimit(client.tenant.id(), new RequestLimit(1, 1));

    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(202);
    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(429);

    Tenant unlimited = admin.setRequestLimit(client.tenant.id(), null).orElseThrow();
    assertThat(unlimited.requestLimit()).isNull();
    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(202);
    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(202);
  }

  @Test
  void shouldListTenantsAndKeysWithoutSecrets() {
    Tenant tenant =
        admin.createTenant(TestInfrastructure.uniqueName("listed"), new RequestLimit(3, 6));
    IssuedApiKey kept = admin.issueKey(tenant.id());
    IssuedApiKey revoked = admin.issueKey(tenant.id());
    admin.revokeKey(revoked.info().id());

    assertThat(admin.listTenants()).contains(tenant);
    assertThat(admin.listAllKeys(tenant.id()))
        .extracting(ApiKeyInfo::id, k -> k.statusAt(CLOCK.instant()))
        .containsExactlyInAnyOrder(
            Tuple.tuple(kept.info().id(), KeyStatus.ACTIVE),
            Tuple.tuple(revoked.info().id(), KeyStatus.REVOKED));
    assertThat(admin.listAllKeys(tenant.id()).toString())
        .doesNotContain(kept.plaintext())
        .doesNotContain(revoked.plaintext());
  }
}
