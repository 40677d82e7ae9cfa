package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.tenant.ApiKeyInfo;
import io.sluice.jobapi.tenant.ApiKeys;
import io.sluice.jobapi.tenant.IssuedApiKey;
import io.sluice.jobapi.tenant.Tenant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TenantAdminTest {
  private static final String DEV_KEY = "sk_local_development_key_0123456789";

  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start();
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  @Test
  void shouldStoreKeysOnlyAsHashes() {
    Tenant tenant = fixture.api.admin().createTenant(TestInfrastructure.uniqueName("acme"));
    IssuedApiKey issued = fixture.api.admin().issueKey(tenant.id());

    List<List<Object>> rows =
        fixture.query("SELECT * FROM api_keys WHERE tenant_id = ?", tenant.id());

    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst())
        .noneMatch(value -> String.valueOf(value).contains(issued.plaintext()));
    assertThat(rows.getFirst())
        .noneMatch(value -> String.valueOf(value).contains(issued.plaintext().substring(14)));
    assertThat(
            fixture.query(
                "SELECT key_hash, display_prefix FROM api_keys WHERE id = ?", issued.info().id()))
        .containsExactly(
            List.of(ApiKeys.hash(issued.plaintext()), issued.plaintext().substring(0, 14)));
    assertThat(issued.toString()).doesNotContain(issued.plaintext());
  }

  @Test
  void shouldNeverLogAKey() {
    Logger root = (Logger) LoggerFactory.getLogger("ROOT");
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      Tenant tenant = fixture.api.admin().createTenant(TestInfrastructure.uniqueName("logged"));
      IssuedApiKey issued = fixture.api.admin().issueKey(tenant.id());
      String chosen = "sk_chosen_key_never_logged_" + TestInfrastructure.uniqueName("k");
      fixture.api.admin().registerKey(tenant.id(), chosen);
      JobApiFixture.Client client = fixture.new Client(tenant, issued.plaintext());
      client.submit(VALID_BODY);
      fixture.new Client(tenant, issued.plaintext() + "x").submit(VALID_BODY);

      assertThat(logs.list).isNotEmpty();
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(line -> line.contains(issued.plaintext().substring(14)))
          .noneMatch(line -> line.contains(chosen));
    } finally {
      root.detachAppender(logs);
    }
  }

  @Test
  void shouldAuthenticateAnIssuedKeyAndRejectItOnceRevoked() {
    JobApiFixture.Client client = fixture.newClient();
    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(202);
    ApiKeyInfo key = fixture.api.admin().listKeys(client.tenant.id()).getFirst();

    assertThat(fixture.api.admin().revokeKey(client.tenant.id(), key.id())).isTrue();

    assertThat(client.submit(VALID_BODY).statusCode()).isEqualTo(401);
    assertThat(fixture.api.admin().listKeys(client.tenant.id())).isEmpty();
  }

  @Test
  void shouldRegisterAChosenKeyIdempotentlyAcrossRestarts() {
    Tenant tenant = fixture.api.admin().ensureTenant("local");
    ApiKeyInfo first = fixture.api.admin().registerKey(tenant.id(), DEV_KEY);

    try (JobApi restarted = fixture.startAnother(s -> s.eventsConsumerEnabled(false))) {
      Tenant again = restarted.admin().ensureTenant("local");
      ApiKeyInfo second = restarted.admin().registerKey(again.id(), DEV_KEY);

      assertThat(again).isEqualTo(tenant);
      assertThat(second).isEqualTo(first);
      JobApiFixture.Client client = fixture.new Client(tenant, DEV_KEY);
      assertThat(client.submitTo(restarted, VALID_BODY).statusCode()).isEqualTo(202);
    }
    assertThat(
            fixture.count(
                "SELECT count(*) FROM api_keys WHERE key_hash = ?", ApiKeys.hash(DEV_KEY)))
        .isEqualTo(1);
  }

  @Test
  void shouldRefuseToRegisterAKeyThatBelongsToAnotherTenant() {
    Tenant owner = fixture.api.admin().createTenant(TestInfrastructure.uniqueName("owner"));
    Tenant other = fixture.api.admin().createTenant(TestInfrastructure.uniqueName("other"));
    String key = "sk_shared_key_for_one_tenant_" + TestInfrastructure.uniqueName("key");
    fixture.api.admin().registerKey(owner.id(), key);

    assertThatThrownBy(() -> fixture.api.admin().registerKey(other.id(), key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("another tenant")
        .hasMessageNotContaining(key);
  }

  @Test
  void shouldRefuseADuplicateTenantNameAndKeysForMissingTenants() {
    String name = TestInfrastructure.uniqueName("dup");
    fixture.api.admin().createTenant(name);

    assertThatThrownBy(() -> fixture.api.admin().createTenant(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name);
    assertThatThrownBy(() -> fixture.api.admin().issueKey("ten_missing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ten_missing");
    assertThat(fixture.api.admin().findTenant(name)).isPresent();
  }
}
