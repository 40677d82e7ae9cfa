package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobHttpApiTest {
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
  void shouldAcceptAJobWith202OnlyOnceItIsStored() {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> response = client.submit(VALID_BODY);

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode job = json(response);
    String id = job.get("id").asText();
    assertThat(id).startsWith("job_");
    assertThat(job.get("status").asText()).isEqualTo("queued");
    assertThat(Instant.parse(job.get("created_at").asText())).isBeforeOrEqualTo(Instant.now());
    assertThat(job.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(job.get("priority").asText()).isEqualTo("standard");
    assertThat(job.get("mode").asText()).isEqualTo("realtime");
    assertThat(response.headers().firstValue("Location")).hasValue("/v1/jobs/" + id);
    assertThat(fixture.query("SELECT status, tenant_id FROM jobs WHERE id = ?", id))
        .containsExactly(List.of("queued", client.tenant.id()));
  }

  @Test
  void shouldShowTheJobToItsTenant() {
    JobApiFixture.Client client = fixture.newClient();
    String body =
        "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"priority\":\"bulk\",\"mode\":\"deferred\",\"metadata\":{\"batch\":\"b-7\"}}";
    String id = json(client.submit(body)).get("id").asText();

    HttpResponse<String> response = client.get(id);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode job = json(response);
    assertThat(job.get("id").asText()).isEqualTo(id);
    assertThat(job.get("status").asText()).isEqualTo("queued");
    assertThat(job.get("model").asText()).isEqualTo("fast");
    assertThat(job.get("priority").asText()).isEqualTo("bulk");
    assertThat(job.get("mode").asText()).isEqualTo("deferred");
    assertThat(job.at("/metadata/batch").asText()).isEqualTo("b-7");
    assertThat(job.has("updated_at")).isTrue();
    assertThat(job.has("output")).isFalse();
  }

  @Test
  void shouldAnswerAnotherTenantsJobExactlyLikeAMissingOne() {
    JobApiFixture.Client owner = fixture.newClient();
    JobApiFixture.Client stranger = fixture.newClient();
    String id = json(owner.submit(VALID_BODY)).get("id").asText();
    String missing = "job_0000000000000000000000000000000";

    HttpResponse<String> foreign = stranger.get(id);
    HttpResponse<String> absent = stranger.get(missing);

    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(absent.statusCode()).isEqualTo(404);
    assertThat(foreign.body()).isEqualTo(absent.body().replace(missing, id));
    assertThat(json(foreign).at("/error/type").asText()).isEqualTo("not_found");
    assertThat(foreign.body()).doesNotContain("output").doesNotContain(owner.tenant.id());
  }

  static Stream<Arguments> badRequests() {
    String message = "[{\"role\":\"user\",\"content\":\"x\"}]";
    return Stream.of(
        Arguments.of("malformed JSON", "{\"model\":", 400, "body"),
        Arguments.of("empty body", "", 400, "body"),
        Arguments.of("not an object", "[1,2,3]", 400, "body"),
        Arguments.of("missing model", "{\"messages\":" + message + "}", 400, "model"),
        Arguments.of("missing messages", "{\"model\":\"gpt-4o\"}", 400, "messages"),
        Arguments.of(
            "wrong type",
            "{\"model\":\"gpt-4o\",\"messages\":" + message + ",\"max_tokens\":\"ten\"}",
            400,
            "max_tokens"),
        Arguments.of(
            "unknown field",
            "{\"model\":\"gpt-4o\",\"messages\":" + message + ",\"colour\":\"red\"}",
            400,
            "colour"),
        Arguments.of(
            "unknown model", "{\"model\":\"gpt-7\",\"messages\":" + message + "}", 400, "model"),
        Arguments.of(
            "out of range",
            "{\"model\":\"gpt-4o\",\"messages\":" + message + ",\"temperature\":5}",
            400,
            "temperature"),
        Arguments.of(
            "bad role",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}",
            400,
            "messages[0].role"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void shouldRejectABadBodyNamingTheFieldAndStoreNothing(
      String description, String body, int status, String field) {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> response = client.submit(body);

    assertThat(response.statusCode()).as(description + ": " + response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode error = json(response).get("error");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request");
    assertThat(error.get("message").asText()).isNotBlank();
    List<String> fields = new ArrayList<>();
    error.get("fields").forEach(f -> fields.add(f.get("field").asText()));
    assertThat(fields).as(response.body()).contains(field);
    assertThat(client.jobCount()).isZero();
  }

  @Test
  void shouldNameEveryBadFieldInOneResponse() {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> response =
        client.submit(
            "{\"model\":\"gpt-7\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}],"
                + "\"max_tokens\":0,\"mode\":\"soon\"}",
            "Idempotency-Key",
            "k".repeat(256));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).at("/error/fields").findValuesAsText("field"))
        .containsExactlyInAnyOrder(
            "Idempotency-Key", "model", "messages[0].role", "max_tokens", "mode");
    assertThat(json(response).at("/error/fields/0/message").asText()).isNotBlank();
    assertThat(client.jobCount()).isZero();
  }

  @Test
  void shouldRefuseAnOversizedBodyWith413AndStoreNothing() {
    JobApiFixture.Client client = fixture.newClient();
    String huge =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "x".repeat(2 * 1024 * 1024)
            + "\"}]}";

    HttpResponse<String> response = client.submit(huge);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).at("/error/type").asText()).isEqualTo("request_too_large");
    assertThat(json(response).at("/error/message").asText()).contains("1048576 bytes");
    assertThat(client.jobCount()).isZero();
  }

  @Test
  void shouldRefuseABodyThatIsNotJsonWith415AndStoreNothing() {
    JobApiFixture.Client client = fixture.newClient();
    for (String type :
        List.of("text/plain", "application/xml", "application/x-www-form-urlencoded")) {
      HttpResponse<String> response =
          JobApiFixture.send(
              HttpRequest.newBuilder(fixture.url("/v1/jobs"))
                  .header("Authorization", "Bearer " + client.key)
                  .header("Content-Type", type)
                  .POST(HttpRequest.BodyPublishers.ofString(VALID_BODY)));

      assertThat(response.statusCode()).as(type).isEqualTo(415);
      assertThat(json(response).at("/error/type").asText()).isEqualTo("unsupported_media_type");
    }
    assertThat(client.jobCount()).isZero();
  }

  @Test
  void shouldRefuseAnOversizedChunkedBodyWith413AndStoreNothing() {
    JobApiFixture.Client client = fixture.newClient();
    byte[] huge =
        ("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(2 * 1024 * 1024)
                + "\"}]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    HttpResponse<String> response =
        JobApiFixture.send(
            HttpRequest.newBuilder(fixture.url("/v1/jobs"))
                .header("Authorization", "Bearer " + client.key)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    assertThat(json(response).at("/error/type").asText()).isEqualTo("request_too_large");
    assertThat(client.jobCount()).isZero();
  }

  @Test
  void shouldReadABodyWithoutContentTypeAsJson() {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> response =
        JobApiFixture.send(
            HttpRequest.newBuilder(fixture.url("/v1/jobs"))
                .header("Authorization", "Bearer " + client.key)
                .POST(HttpRequest.BodyPublishers.ofString(VALID_BODY)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(client.jobCount()).isEqualTo(1);
  }

  @Test
  void shouldAcceptJsonWithACharsetParameter() {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> response =
        client.submit(
            VALID_BODY.replace("abc", "ünïcödé"),
            "Content-Type",
            "application/json; charset=utf-8");

    assertThat(response.statusCode()).isEqualTo(202);
  }

  @Test
  void shouldRefuseMissingOrUnknownKeysWith401AndStoreNothing() {
    long jobsBefore = fixture.count("SELECT count(*) FROM jobs");
    List<HttpRequest.Builder> requests =
        List.of(
            post(null),
            post("Bearer sk_sluice_not-a-real-key-0000000000000000000"),
            post("Basic dXNlcjpwYXNz"),
            post("Bearer "),
            HttpRequest.newBuilder(fixture.url("/v1/jobs/job_x")).GET());

    for (HttpRequest.Builder request : requests) {
      HttpResponse<String> response = JobApiFixture.send(request);
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(json(response).at("/error/type").asText()).isEqualTo("authentication_failed");
      assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }
    assertThat(fixture.count("SELECT count(*) FROM jobs")).isEqualTo(jobsBefore);
  }

  private static HttpRequest.Builder post(String authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(fixture.url("/v1/jobs"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(VALID_BODY));
    return authorization == null ? request : request.header("Authorization", authorization);
  }

  @Test
  void shouldAnswerUnknownRoutesAndMethodsWithJsonErrors() {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> unknown =
        JobApiFixture.send(
            HttpRequest.newBuilder(fixture.url("/v1/nothing"))
                .header("Authorization", "Bearer " + client.key)
                .GET());
    HttpResponse<String> wrongMethod =
        JobApiFixture.send(
            HttpRequest.newBuilder(fixture.url("/v1/jobs/job_1"))
                .header("Authorization", "Bearer " + client.key)
                .DELETE());

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown).at("/error/type").asText()).isEqualTo("not_found");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(json(wrongMethod).at("/error/type").asText()).isEqualTo("method_not_allowed");
  }
}
