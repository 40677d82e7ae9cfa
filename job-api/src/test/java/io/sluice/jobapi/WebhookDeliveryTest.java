package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static io.sluice.jobapi.WebhookFixture.call;
import static io.sluice.jobapi.WebhookFixture.createEndpoint;
import static io.sluice.jobapi.WebhookFixture.data;
import static io.sluice.jobapi.WebhookFixture.finish;
import static io.sluice.jobapi.WebhookFixture.submit;
import static io.sluice.jobapi.WebhookFixture.verifies;
import static io.sluice.jobapi.WebhookFixture.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jobapi.WebhookFixture.SubmittedJob;
import io.sluice.jobapi.WebhookReceiver.Mode;
import io.sluice.jobapi.WebhookReceiver.Received;
import io.sluice.jobapi.webhook.WebhookSettings;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end on real PostgreSQL and Kafka: jobs finish (terminal events on
 * sluice.jobs.events), their events reach local receivers, and every signature is checked by the
 * official Standard Webhooks library.
 */
class WebhookDeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start(s -> s.webhooks(WebhookFixture.local()));
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  private static JsonNode body(Received received) {
    try {
      return Json.mapper().readTree(received.body());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<JsonNode> deliveries(JobApiFixture.Client client, String endpointId) {
    return data(
        call(fixture, client, "GET", "/v1/webhook-endpoints/" + endpointId + "/deliveries", null));
  }

  @Test
  void shouldDeliverEachFinishedJobsEventSignedSoTheStandardWebhooksLibraryVerifiesIt() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      JsonNode endpoint = createEndpoint(fixture, client, receiver.url().toString());
      String secret = endpoint.get("secret").asText();
      SubmittedJob succeeded = submit(client, VALID_BODY);
      SubmittedJob failed = submit(client, VALID_BODY);
      SubmittedJob expired = submit(client, VALID_BODY);

      finish(fixture, succeeded, JobStatus.SUCCEEDED);
      finish(fixture, failed, JobStatus.FAILED);
      finish(fixture, expired, JobStatus.EXPIRED);

      await().atMost(WAIT).until(() -> receiver.accepted().size() >= 3);
      List<Received> received = receiver.accepted();
      assertThat(received).hasSize(3);
      received.forEach(r -> verify(secret, r));
      Map<String, JsonNode> byJob = new HashMap<>();
      received.forEach(r -> byJob.put(body(r).at("/data/id").asText(), body(r)));
      assertThat(byJob.get(succeeded.id()).get("type").asText()).isEqualTo("job.succeeded");
      assertThat(byJob.get(succeeded.id()).at("/data/output").asText()).isEqualTo("cba");
      assertThat(byJob.get(succeeded.id()).at("/data/usage/input_tokens").asLong()).isEqualTo(12);
      assertThat(byJob.get(succeeded.id()).at("/data/cost_usd").decimalValue())
          .isEqualByComparingTo("0.000003");
      assertThat(byJob.get(failed.id()).get("type").asText()).isEqualTo("job.failed");
      assertThat(byJob.get(failed.id()).at("/data/error/code").asText())
          .isEqualTo("deadline_exceeded");
      assertThat(byJob.get(expired.id()).get("type").asText()).isEqualTo("job.expired");
      assertThat(received).allSatisfy(r -> assertThat(r.id()).startsWith("msg_"));
      assertThat(received.stream().map(Received::id).distinct()).hasSize(3);
      List<JsonNode> shown = deliveries(client, endpoint.get("id").asText());
      await()
          .atMost(WAIT)
          .until(
              () ->
                  deliveries(client, endpoint.get("id").asText()).stream()
                      .allMatch(d -> d.get("status").asText().equals("succeeded")));
      assertThat(shown).hasSize(3);
      String deliveryId = shown.getFirst().get("id").asText();
      List<JsonNode> attempts =
          data(
              call(
                  fixture,
                  client,
                  "GET",
                  "/v1/webhook-endpoints/"
                      + endpoint.get("id").asText()
                      + "/deliveries/"
                      + deliveryId
                      + "/attempts",
                  null));
      assertThat(attempts).hasSize(1);
      assertThat(attempts.getFirst().get("status_code").asInt()).isEqualTo(204);
      assertThat(attempts.getFirst().has("latency_ms")).isTrue();
    }
  }

  @Test
  void shouldSendAnEndpointOnlyItsEventTypesAndOnlyItsTenantsJobs() {
    try (WebhookReceiver failures = WebhookReceiver.start();
        WebhookReceiver other = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      JobApiFixture.Client otherTenant = fixture.newClient();
      createEndpoint(fixture, client, failures.url().toString(), "job.failed");
      createEndpoint(fixture, otherTenant, other.url().toString());
      SubmittedJob succeeded = submit(client, VALID_BODY);
      SubmittedJob failed = submit(client, VALID_BODY);

      finish(fixture, succeeded, JobStatus.SUCCEEDED);
      finish(fixture, failed, JobStatus.FAILED);

      await().atMost(WAIT).until(() -> !failures.accepted().isEmpty());
      awaitStatus(client, succeeded.id(), "succeeded");
      assertThat(failures.accepted()).hasSize(1);
      assertThat(body(failures.accepted().getFirst()).at("/data/id").asText())
          .isEqualTo(failed.id());
      assertThat(
              fixture.count(
                  "SELECT count(*) FROM webhook_deliveries WHERE job_id IN (?, ?)",
                  succeeded.id(),
                  failed.id()))
          .isEqualTo(1);
      assertThat(other.received()).isEmpty();
    }
  }

  private static void awaitStatus(JobApiFixture.Client client, String jobId, String status) {
    await()
        .atMost(WAIT)
        .until(() -> json(client.get(jobId)).get("status").asText(), status::equals);
  }

  @Test
  void shouldDeliverEveryEventAfterTheReceiverRefusedFailedAndHungWithDuplicatesOnlyUnderOneId() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      JsonNode endpoint = createEndpoint(fixture, client, receiver.url().toString());
      String endpointId = endpoint.get("id").asText();
      receiver.stop();
      List<SubmittedJob> jobs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        jobs.add(submit(client, VALID_BODY));
      }

      jobs.forEach(job -> finish(fixture, job, JobStatus.SUCCEEDED));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  fixture.count(
                          "SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d"
                              + " ON d.id = a.delivery_id WHERE d.endpoint_id = ?"
                              + " AND a.error LIKE 'connection failed%'",
                          endpointId)
                      >= 5);
      receiver.restart();
      receiver.mode(Mode.FAIL_500);
      await().atMost(WAIT).until(() -> receiver.received().size() >= 5);
      receiver.mode(Mode.HANG);
      int before = receiver.received().size();
      await().atMost(WAIT).until(() -> receiver.received().size() > before);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  fixture.count(
                          "SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d"
                              + " ON d.id = a.delivery_id WHERE d.endpoint_id = ?"
                              + " AND a.error LIKE 'timed out%'",
                          endpointId)
                      >= 1);
      receiver.mode(Mode.OK);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> receiver.accepted().stream().map(Received::id).distinct().count() == 5);
      Set<String> jobIds =
          receiver.accepted().stream()
              .map(r -> body(r).at("/data/id").asText())
              .collect(Collectors.toSet());
      assertThat(jobIds)
          .containsExactlyInAnyOrderElementsOf(jobs.stream().map(SubmittedJob::id).toList());
      Map<String, Set<String>> bodiesById =
          receiver.received().stream()
              .collect(
                  Collectors.groupingBy(
                      Received::id, Collectors.mapping(Received::body, Collectors.toSet())));
      assertThat(bodiesById).hasSize(5).allSatisfy((id, bodies) -> assertThat(bodies).hasSize(1));
      Map<String, Set<String>> idsByJob =
          receiver.received().stream()
              .collect(
                  Collectors.groupingBy(
                      r -> body(r).at("/data/id").asText(),
                      Collectors.mapping(Received::id, Collectors.toSet())));
      assertThat(idsByJob).allSatisfy((job, ids) -> assertThat(ids).hasSize(1));
      receiver.accepted().forEach(r -> verify(endpoint.get("secret").asText(), r));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  deliveries(client, endpointId).stream()
                      .allMatch(d -> d.get("status").asText().equals("succeeded")));
    }
  }

  @Test
  void shouldDisableTheEndpointWhenItAnswers410AndShowWhy() {
    try (WebhookReceiver receiver = WebhookReceiver.start().mode(Mode.GONE_410)) {
      JobApiFixture.Client client = fixture.newClient();
      String endpointId =
          createEndpoint(fixture, client, receiver.url().toString()).get("id").asText();
      SubmittedJob job = submit(client, VALID_BODY);

      finish(fixture, job, JobStatus.SUCCEEDED);

      await()
          .atMost(WAIT)
          .until(
              () ->
                  !json(call(fixture, client, "GET", "/v1/webhook-endpoints/" + endpointId, null))
                      .get("enabled")
                      .asBoolean());
      JsonNode shown =
          json(call(fixture, client, "GET", "/v1/webhook-endpoints/" + endpointId, null));
      assertThat(shown.get("disabled_reason").asText()).contains("410");
      assertThat(shown.has("disabled_at")).isTrue();
      assertThat(deliveries(client, endpointId).getFirst().get("status").asText())
          .isEqualTo("dead");
      assertThat(receiver.received()).hasSize(1);

      SubmittedJob later = submit(client, VALID_BODY);
      finish(fixture, later, JobStatus.SUCCEEDED);
      awaitStatus(client, later.id(), "succeeded");
      assertThat(
              fixture.count("SELECT count(*) FROM webhook_deliveries WHERE job_id = ?", later.id()))
          .as("a disabled endpoint gets no new deliveries")
          .isZero();

      JsonNode enabled =
          json(
              call(
                  fixture,
                  client,
                  "PATCH",
                  "/v1/webhook-endpoints/" + endpointId,
                  "{\"enabled\":true}"));
      assertThat(enabled.get("enabled").asBoolean()).isTrue();
      assertThat(enabled.has("disabled_reason")).isFalse();
    }
  }

  @Test
  void shouldNotFollowARedirect() {
    try (WebhookReceiver redirecting = WebhookReceiver.start().mode(Mode.REDIRECT);
        WebhookReceiver target = WebhookReceiver.start()) {
      redirecting.redirectTo(target.url());
      JobApiFixture.Client client = fixture.newClient();
      String endpointId =
          createEndpoint(fixture, client, redirecting.url().toString()).get("id").asText();
      SubmittedJob job = submit(client, VALID_BODY);

      finish(fixture, job, JobStatus.SUCCEEDED);

      await().atMost(WAIT).until(() -> redirecting.received().size() >= 2);
      JsonNode delivery = deliveries(client, endpointId).getFirst();
      assertThat(delivery.get("status").asText()).isEqualTo("failed");
      assertThat(delivery.get("last_error").asText()).contains("302").contains("not followed");
      assertThat(delivery.has("next_attempt_at")).isTrue();
      assertThat(target.received()).isEmpty();
    }
  }

  @Test
  void shouldSignWithTheOldAndTheNewSecretDuringTheRotationGrace() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      JsonNode endpoint = createEndpoint(fixture, client, receiver.url().toString());
      String endpointId = endpoint.get("id").asText();
      String oldSecret = endpoint.get("secret").asText();

      JsonNode rotated =
          json(
              call(
                  fixture,
                  client,
                  "POST",
                  "/v1/webhook-endpoints/" + endpointId + "/rotate-secret",
                  null));
      String newSecret = rotated.get("secret").asText();
      SubmittedJob job = submit(client, VALID_BODY);
      finish(fixture, job, JobStatus.SUCCEEDED);

      await().atMost(WAIT).until(() -> !receiver.accepted().isEmpty());
      Received received = receiver.accepted().getFirst();
      assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
      assertThat(received.signature().split(" ")).hasSize(2);
      assertThat(verifies(oldSecret, received)).isTrue();
      assertThat(verifies(newSecret, received)).isTrue();
      assertThat(
              json(call(fixture, client, "GET", "/v1/webhook-endpoints/" + endpointId, null))
                  .has("secret"))
          .as("the secret is shown only when issued")
          .isFalse();
    }
  }

  private static List<JsonNode> deliveriesOfJob(JobApiFixture.Client client, String jobId) {
    return data(call(fixture, client, "GET", "/v1/jobs/" + jobId + "/webhook-deliveries", null));
  }

  @Test
  void shouldDeliverAJobsOneOffWebhookSignedWithTheTenantsSecret() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      String secret =
          json(call(fixture, client, "POST", "/v1/webhook-secret", null)).get("secret").asText();
      String body =
          VALID_BODY.replace("}]}", "}],\"webhook\":{\"url\":\"" + receiver.url() + "\"}}");
      SubmittedJob job = submit(client, body);
      assertThat(json(client.get(job.id())).at("/webhook/url").asText())
          .isEqualTo(receiver.url().toString());

      finish(fixture, job, JobStatus.SUCCEEDED);

      await().atMost(WAIT).until(() -> !receiver.accepted().isEmpty());
      Received received = receiver.accepted().getFirst();
      verify(secret, received);
      assertThat(body(received).at("/data/id").asText()).isEqualTo(job.id());
    }
  }

  @Test
  void shouldListAttemptAndReplayAJobsOneOffDeliveryUnderTheJob() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      call(fixture, client, "POST", "/v1/webhook-secret", null);
      String endpointId =
          createEndpoint(fixture, client, receiver.url().toString()).get("id").asText();
      String body =
          VALID_BODY.replace("}]}", "}],\"webhook\":{\"url\":\"" + receiver.url() + "\"}}");
      SubmittedJob job = submit(client, body);
      finish(fixture, job, JobStatus.SUCCEEDED);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  deliveriesOfJob(client, job.id()).stream()
                      .allMatch(d -> d.get("status").asText().equals("succeeded")));

      List<JsonNode> ofJob = deliveriesOfJob(client, job.id());
      JsonNode oneOff = ofJob.stream().filter(d -> !d.has("endpoint_id")).findFirst().orElseThrow();
      assertThat(ofJob).hasSize(2);
      assertThat(ofJob)
          .filteredOn(d -> d.has("endpoint_id"))
          .singleElement()
          .satisfies(d -> assertThat(d.get("endpoint_id").asText()).isEqualTo(endpointId));
      assertThat(oneOff.get("url").asText()).isEqualTo(receiver.url().toString());
      assertThat(oneOff.get("job_id").asText()).isEqualTo(job.id());
      String deliveryId = oneOff.get("id").asText();
      List<JsonNode> attempts =
          data(
              call(
                  fixture,
                  client,
                  "GET",
                  "/v1/webhook-deliveries/" + deliveryId + "/attempts",
                  null));
      assertThat(attempts)
          .singleElement()
          .satisfies(
              a ->
                  assertThat(a.get("status_code").asInt())
                      .as("the receiver answers 204")
                      .isEqualTo(204));

      var replay =
          call(fixture, client, "POST", "/v1/webhook-deliveries/" + deliveryId + "/replay", null);

      assertThat(replay.statusCode()).isEqualTo(202);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 3);
      assertThat(receiver.accepted().getLast().id()).isEqualTo(deliveryId);
      var unknownJob =
          call(fixture, client, "GET", "/v1/jobs/job_unknown/webhook-deliveries", null);
      assertThat(unknownJob.statusCode()).isEqualTo(404);
      var unknownDelivery =
          call(fixture, client, "POST", "/v1/webhook-deliveries/msg_unknown/replay", null);
      assertThat(unknownDelivery.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void shouldRefuseAJobWhoseWebhookIsAPrivateAddress() {
    JobApiFixture.Client client = fixture.newClient();
    for (String url :
        List.of("http://10.0.0.1/hook", "http://169.254.169.254/latest", "http://2130706433x/")) {
      String body = VALID_BODY.replace("}]}", "}],\"webhook\":{\"url\":\"" + url + "\"}}");

      var response = client.submit(body);

      assertThat(response.statusCode()).as(url).isEqualTo(400);
      assertThat(json(response).at("/error/fields/0/field").asText()).isEqualTo("webhook.url");
    }
    assertThat(client.jobCount()).isZero();
  }

  @Test
  void shouldReplayADeliveryWithTheSameWebhookId() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      String endpointId =
          createEndpoint(fixture, client, receiver.url().toString()).get("id").asText();
      SubmittedJob job = submit(client, VALID_BODY);
      finish(fixture, job, JobStatus.SUCCEEDED);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 1);
      String deliveryId = deliveries(client, endpointId).getFirst().get("id").asText();

      var replay =
          call(
              fixture,
              client,
              "POST",
              "/v1/webhook-endpoints/" + endpointId + "/deliveries/" + deliveryId + "/replay",
              null);

      assertThat(replay.statusCode()).isEqualTo(202);
      await().atMost(WAIT).until(() -> receiver.accepted().size() == 2);
      assertThat(receiver.accepted()).extracting(Received::id).containsOnly(deliveryId);
      var since =
          call(
              fixture,
              client,
              "POST",
              "/v1/webhook-endpoints/" + endpointId + "/replay?since=2020-01-01T00:00:00Z",
              null);
      assertThat(since.statusCode()).isEqualTo(202);
      assertThat(json(since).get("replayed").asInt()).as("nothing failed").isZero();
    }
  }

  @Test
  void shouldAnswer404ToAnotherTenantForEndpointsDeliveriesAndReplays() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client owner = fixture.newClient();
      JobApiFixture.Client intruder = fixture.newClient();
      String endpointId =
          createEndpoint(fixture, owner, receiver.url().toString()).get("id").asText();
      SubmittedJob job = submit(owner, VALID_BODY);
      finish(fixture, job, JobStatus.SUCCEEDED);
      await().atMost(WAIT).until(() -> !receiver.accepted().isEmpty());
      String deliveryId = deliveries(owner, endpointId).getFirst().get("id").asText();
      String base = "/v1/webhook-endpoints/" + endpointId;

      List<String[]> calls =
          List.of(
              new String[] {"GET", base, null},
              new String[] {"PATCH", base, "{\"enabled\":false}"},
              new String[] {"DELETE", base, null},
              new String[] {"POST", base + "/rotate-secret", null},
              new String[] {"GET", base + "/deliveries", null},
              new String[] {"GET", base + "/deliveries/" + deliveryId + "/attempts", null},
              new String[] {"POST", base + "/deliveries/" + deliveryId + "/replay", null},
              new String[] {"POST", base + "/replay?since=2020-01-01T00:00:00Z", null},
              new String[] {"GET", "/v1/jobs/" + job.id() + "/webhook-deliveries", null},
              new String[] {"GET", "/v1/webhook-deliveries/" + deliveryId + "/attempts", null},
              new String[] {"POST", "/v1/webhook-deliveries/" + deliveryId + "/replay", null});
      for (String[] c : calls) {
        var response = call(fixture, intruder, c[0], c[1], c[2]);
        assertThat(response.statusCode()).as(c[0] + " " + c[1]).isEqualTo(404);
        assertThat(json(response).at("/error/type").asText()).isEqualTo("not_found");
      }
      assertThat(data(call(fixture, intruder, "GET", "/v1/webhook-endpoints", null))).isEmpty();
      JsonNode unchanged = json(call(fixture, owner, "GET", base, null));
      assertThat(unchanged.get("enabled").asBoolean()).isTrue();
      assertThat(receiver.accepted()).hasSize(1);
    }
  }

  @Test
  void shouldRefuseBadEndpointRequestsWith400NamingTheFieldAndChangeNothing() {
    JobApiFixture.Client client = fixture.newClient();
    Map<String, String> bodies =
        Map.of(
            "{\"event_types\":[\"job.succeeded\"]}", "url",
            "{\"url\":\"http://10.1.2.3/hook\"}", "url",
            "{\"url\":\"http://169.254.169.254/\"}", "url",
            "{\"url\":\"http://[::ffff:10.0.0.1]/\"}", "url",
            "{\"url\":\"ftp://example.com/\"}", "url",
            "{\"url\":\"http://127.0.0.1:9/x\",\"event_types\":[\"job.nope\"]}", "event_types[0]",
            "{\"url\":\"http://127.0.0.1:9/x\",\"event_types\":[]}", "event_types",
            "{\"url\":\"http://127.0.0.1:9/x\",\"colour\":\"red\"}", "colour",
            "not json", "body");
    bodies.forEach(
        (body, field) -> {
          var response = call(fixture, client, "POST", "/v1/webhook-endpoints", body);
          assertThat(response.statusCode()).as(body).isEqualTo(400);
          assertThat(json(response).at("/error/type").asText()).isEqualTo("invalid_request");
          assertThat(json(response).at("/error/fields/0/field").asText()).as(body).isEqualTo(field);
        });
    assertThat(
            fixture.count(
                "SELECT count(*) FROM webhook_endpoints WHERE tenant_id = ?", client.tenant.id()))
        .isZero();

    String endpointId =
        createEndpoint(fixture, client, "http://127.0.0.1:9/hook").get("id").asText();
    var patch =
        call(
            fixture,
            client,
            "PATCH",
            "/v1/webhook-endpoints/" + endpointId,
            "{\"url\":\"http://192.168.1.1/\",\"description\":\"x\"}");
    assertThat(patch.statusCode()).isEqualTo(400);
    JsonNode unchanged =
        json(call(fixture, client, "GET", "/v1/webhook-endpoints/" + endpointId, null));
    assertThat(unchanged.get("url").asText()).isEqualTo("http://127.0.0.1:9/hook");
    assertThat(unchanged.get("description").asText()).isEmpty();
    var limit =
        call(
            fixture,
            client,
            "GET",
            "/v1/webhook-endpoints/" + endpointId + "/deliveries?limit=0",
            null);
    assertThat(limit.statusCode()).isEqualTo(400);
    var since =
        call(
            fixture,
            client,
            "POST",
            "/v1/webhook-endpoints/" + endpointId + "/replay?since=yesterday",
            null);
    assertThat(json(since).at("/error/fields/0/field").asText()).isEqualTo("since");
  }

  @Test
  void shouldRefuseEverySpellingOfAPrivateAddressAtRegistration() {
    JobApiFixture.Client client = fixture.newClient();
    List<String> refused =
        List.of(
            "http://10.0.0.1/",
            "http://167772161/",
            "http://012.0.0.1/",
            "http://0xa.0.0.1/",
            "http://10.1/",
            "http://172.16.0.1/",
            "http://192.168.0.1/",
            "http://169.254.169.254/",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://224.0.0.1/",
            "http://240.0.0.1/",
            "http://[::ffff:a00:1]/",
            "http://[::ffff:169.254.169.254]/",
            "http://[fc00::1]/",
            "http://[fe80::1]/");
    for (String url : refused) {
      var response =
          call(fixture, client, "POST", "/v1/webhook-endpoints", "{\"url\":\"" + url + "\"}");

      assertThat(response.statusCode()).as(url).isEqualTo(400);
      assertThat(json(response).at("/error/fields/0/field").asText()).as(url).isEqualTo("url");
    }
    assertThat(
            fixture.count(
                "SELECT count(*) FROM webhook_endpoints WHERE tenant_id = ?", client.tenant.id()))
        .isZero();
  }

  @Test
  void shouldKeepDeliveringToAHealthyEndpointWhileAnotherHangs() {
    try (WebhookReceiver hanging = WebhookReceiver.start().mode(Mode.HANG);
        WebhookReceiver healthy = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      createEndpoint(fixture, client, hanging.url().toString());
      createEndpoint(fixture, client, healthy.url().toString());
      List<SubmittedJob> jobs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        jobs.add(submit(client, VALID_BODY));
      }

      jobs.forEach(job -> finish(fixture, job, JobStatus.SUCCEEDED));

      await().atMost(WAIT).until(() -> healthy.accepted().size() >= 40);
      assertThat(hanging.received().size())
          .as("the healthy endpoint got all 40 before the hanging one was tried 40 times")
          .isLessThan(40);
      // a slot of the hanging endpoint frees only when its 1 s timeout ends: never more than
      // endpointConcurrency (4) of its requests start within half a timeout, while the sender's
      // 16 threads would send it 16 at once if the limit were not per endpoint
      assertThat(hanging.mostArrivalsWithin(Duration.ofMillis(500)))
          .as("requests to the hanging endpoint that arrived within 500 ms")
          .isBetween(1, WebhookSettings.DEFAULT_ENDPOINT_CONCURRENCY);
    }
  }

  @Test
  void shouldUpdateListAndDeleteEndpoints() {
    JobApiFixture.Client client = fixture.newClient();
    String first = createEndpoint(fixture, client, "http://127.0.0.1:9/a").get("id").asText();
    String second =
        createEndpoint(fixture, client, "http://127.0.0.1:9/b", "job.failed").get("id").asText();

    JsonNode updated =
        json(
            call(
                fixture,
                client,
                "PATCH",
                "/v1/webhook-endpoints/" + first,
                "{\"url\":\"http://127.0.0.1:9/c\",\"event_types\":[\"job.expired\"],"
                    + "\"description\":\"nightly\",\"enabled\":false}"));

    assertThat(updated.get("url").asText()).isEqualTo("http://127.0.0.1:9/c");
    assertThat(updated.get("event_types").get(0).asText()).isEqualTo("job.expired");
    assertThat(updated.get("description").asText()).isEqualTo("nightly");
    assertThat(updated.get("enabled").asBoolean()).isFalse();
    assertThat(updated.get("disabled_reason").asText()).contains("tenant");
    assertThat(data(call(fixture, client, "GET", "/v1/webhook-endpoints", null)))
        .extracting(n -> n.get("id").asText())
        .containsExactly(first, second);
    assertThat(call(fixture, client, "DELETE", "/v1/webhook-endpoints/" + first, null).statusCode())
        .isEqualTo(204);
    assertThat(call(fixture, client, "GET", "/v1/webhook-endpoints/" + first, null).statusCode())
        .isEqualTo(404);
    assertThat(data(call(fixture, client, "GET", "/v1/webhook-endpoints", null))).hasSize(1);
  }

  @Test
  void shouldStoreSecretsOnlyEncrypted() {
    JobApiFixture.Client client = fixture.newClient();
    JsonNode endpoint = createEndpoint(fixture, client, "http://127.0.0.1:9/a");
    byte[] secret =
        java.util.Base64.getDecoder().decode(endpoint.get("secret").asText().substring(6));

    List<List<Object>> stored =
        fixture.query(
            "SELECT secret FROM webhook_endpoints WHERE id = ?", endpoint.get("id").asText());

    byte[] column = (byte[]) stored.getFirst().getFirst();
    assertThat(java.util.HexFormat.of().formatHex(column))
        .doesNotContain(java.util.HexFormat.of().formatHex(secret));
    assertThat(column.length).isEqualTo(12 + secret.length + 16);
  }
}
