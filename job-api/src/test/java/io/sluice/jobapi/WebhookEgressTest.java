package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static io.sluice.jobapi.WebhookFixture.call;
import static io.sluice.jobapi.WebhookFixture.createEndpoint;
import static io.sluice.jobapi.WebhookFixture.data;
import static io.sluice.jobapi.WebhookFixture.finish;
import static io.sluice.jobapi.WebhookFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.egress.EgressRules;
import io.sluice.egress.HostResolver;
import io.sluice.jobapi.WebhookFixture.SubmittedJob;
import io.sluice.schemas.job.JobStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The egress rules at registration and at every delivery (with a test resolver whose answers the
 * test changes), the operator's allow-list, and the delivery written in the transaction of the
 * terminal status.
 */
class WebhookEgressTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<String, String> DNS = new ConcurrentHashMap<>();
  private static final HostResolver RESOLVER =
      host -> {
        String address = DNS.get(host);
        if (address == null) {
          throw new UnknownHostException(host);
        }
        return List.of(InetAddress.getByName(address));
      };
  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    // Plain HTTP, and only the operator's allow-list admits the loopback receiver.
    EgressRules rules = new EgressRules(true, List.of("127.0.0.1/32"));
    fixture =
        JobApiFixture.start(s -> s.webhooks(WebhookFixture.local().withEgress(rules, RESOLVER)));
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  @Test
  void shouldAdmitAnAllowListedAddressAndRefuseOtherPrivateOnes() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      createEndpoint(fixture, client, receiver.url().toString());
      var loopbackAlias =
          call(
              fixture,
              client,
              "POST",
              "/v1/webhook-endpoints",
              "{\"url\":\"http://127.0.0.2:" + receiver.url().getPort() + "/\"}");

      assertThat(loopbackAlias.statusCode()).isEqualTo(400);
      assertThat(json(loopbackAlias).at("/error/fields/0/field").asText()).isEqualTo("url");
      assertThat(json(loopbackAlias).at("/error/fields/0/message").asText()).isNotBlank();
      SubmittedJob job = submit(client, VALID_BODY);
      finish(fixture, job, JobStatus.SUCCEEDED);
      await().atMost(WAIT).until(() -> !receiver.accepted().isEmpty());
    }
  }

  @Test
  void shouldRefuseAtDeliveryAHostWhoseAddressTurnedPrivateAfterRegistration() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      DNS.put("rebind.test", "127.0.0.1");
      JsonNode endpoint =
          createEndpoint(
              fixture, client, "http://rebind.test:" + receiver.url().getPort() + "/hooks");
      String endpointId = endpoint.get("id").asText();
      DNS.put("rebind.test", "10.0.0.7");
      SubmittedJob job = submit(client, VALID_BODY);

      finish(fixture, job, JobStatus.SUCCEEDED);

      await()
          .atMost(WAIT)
          .until(
              () ->
                  data(
                          call(
                              fixture,
                              client,
                              "GET",
                              "/v1/webhook-endpoints/" + endpointId + "/deliveries",
                              null))
                      .stream()
                      .anyMatch(
                          d -> d.path("last_error").asText().startsWith("destination refused")));
      assertThat(receiver.received()).isEmpty();
      DNS.put("rebind.test", "127.0.0.1");
      await().atMost(WAIT).until(() -> !receiver.accepted().isEmpty());
    }
  }

  @Test
  void shouldCommitTheDeliveryOnlyWithTheTerminalStatusAndNeverOneWithoutTheOther() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      createEndpoint(fixture, client, receiver.url().toString());
      SubmittedJob job = submit(client, VALID_BODY);
      fixture.execute(
          "CREATE FUNCTION refuse_delivery() RETURNS trigger AS $$ BEGIN"
              + " RAISE EXCEPTION 'no deliveries now'; END $$ LANGUAGE plpgsql");
      fixture.execute(
          "CREATE TRIGGER refuse_delivery BEFORE INSERT ON webhook_deliveries"
              + " FOR EACH ROW EXECUTE FUNCTION refuse_delivery()");
      try {
        finish(fixture, job, JobStatus.SUCCEEDED);

        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(5))
            .until(() -> json(client.get(job.id())).get("status").asText().equals("queued"));
      } finally {
        fixture.execute("DROP TRIGGER refuse_delivery ON webhook_deliveries");
        fixture.execute("DROP FUNCTION refuse_delivery()");
      }

      await()
          .atMost(WAIT)
          .until(() -> json(client.get(job.id())).get("status").asText().equals("succeeded"));
      assertThat(
              fixture.count("SELECT count(*) FROM webhook_deliveries WHERE job_id = ?", job.id()))
          .isEqualTo(1);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
    }
  }
}
