package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 6 under hostile input: NUL characters, lone surrogates, invalid UTF-8 and odd path
 * characters in {@code POST /v1/jobs} and {@code GET /v1/jobs/{id}} never get a 5xx, a rejected
 * request stores nothing, and text with NULs (as extracted from PDFs) is accepted and travels
 * unchanged to {@code sluice.jobs.submitted} and back from {@code sluice.jobs.events}.
 */
class HostileInputTest {
  private static final JsonSerde<SubmittedJob> SUBMITTED = JsonSerde.of(SubmittedJob.class);
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final String NUL_TEXT = "page 1\u0000\u0000page 2 \u0000end";

  private static JobApiFixture fixture;
  private static JobApiFixture.Client client;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start();
    client = fixture.newClient();
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  @Test
  void shouldAcceptNulCharactersAndCarryThemUnchangedToKafkaAndBack() {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":"
            + "\"page 1\\u0000\\u0000page 2 \\u0000end\"}],"
            + "\"metadata\":{\"source\":\"scan\\u0000.pdf\",\"k\\u0000ey\":\"v\"}}";

    HttpResponse<String> response = client.submit(body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String id = json(response).get("id").asText();
    JsonNode stored = json(client.get(id));
    assertThat(stored.get("metadata").get("source").asText()).isEqualTo("scan\u0000.pdf");
    assertThat(stored.get("metadata").get("k\u0000ey").asText()).isEqualTo("v");
    SubmittedJob submitted = awaitSubmitted(id);
    assertThat(submitted.completion().messages())
        .containsExactly(new ChatMessage("user", NUL_TEXT));

    publishSucceeded(id, "out\u0000put");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> json(client.get(id)).get("status").asText(), "succeeded"::equals);
    assertThat(json(client.get(id)).get("output").asText()).isEqualTo("out\u0000put");
  }

  @Test
  void shouldNeverAnswerHostileBodiesWith5xxNorStoreWhatItRejects() {
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, byte[]> body : hostileBodies().entrySet()) {
      long jobsBefore = client.jobCount();
      long outboxBefore = fixture.count("SELECT count(*) FROM outbox");
      HttpResponse<String> response = post(body.getValue());
      int status = response.statusCode();
      if (mustBeRejected(body.getKey()) && status != 400) {
        failures.add(body.getKey() + " -> " + status + ", expected 400 " + response.body());
      } else if (status >= 500) {
        failures.add(body.getKey() + " -> " + status + " " + response.body());
      } else if (status != 202 && client.jobCount() != jobsBefore) {
        failures.add(body.getKey() + " -> " + status + " but a job was stored");
      } else if (status != 202 && fixture.count("SELECT count(*) FROM outbox") > outboxBefore) {
        failures.add(body.getKey() + " -> " + status + " but an outbox row was stored");
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void shouldAnswerOddJobIdsWith404AndNever5xx() {
    List<String> ids =
        List.of(
            "%00",
            "job_%00",
            "%00%00%00",
            "%FF",
            "%C0%80",
            "%ED%A0%80",
            "%2F",
            "a%2Fb",
            "%5C",
            "%27%3B%20DROP%20TABLE%20jobs%3B--",
            "%E2%9C%93",
            "%F0%9F%92%A9",
            "job_" + "0".repeat(32),
            "x".repeat(5000),
            "%25",
            "%20",
            "..",
            "job_%0A");
    List<String> failures = new ArrayList<>();
    for (String id : ids) {
      HttpResponse<String> response =
          JobApiFixture.send(
              HttpRequest.newBuilder(URI.create(fixture.api.url() + "/v1/jobs/" + id))
                  .header("Authorization", "Bearer " + client.key)
                  .GET());
      if (response.statusCode() >= 500) {
        failures.add(abbreviated(id) + " -> " + response.statusCode() + " " + response.body());
      }
    }
    assertThat(failures).isEmpty();
    assertThat(client.get("%00").statusCode()).isEqualTo(404);
    assertThat(client.get("job_%00").statusCode()).isEqualTo(404);
    assertThat(client.get("%E2%9C%93").statusCode()).isEqualTo(404);
    assertThat(client.get("x".repeat(1000)).statusCode()).isEqualTo(404);
  }

  /** Not Unicode text or not JSON: a 400, never a job whose text was silently changed. */
  private static boolean mustBeRejected(String name) {
    return name.contains("invalid UTF-8")
        || name.contains("lone")
        || name.contains("reversed")
        || name.contains("UTF-8 encoded surrogate")
        || name.contains("overlong")
        || name.contains("truncated")
        || name.contains("raw NUL")
        || name.contains("empty body");
  }

  private static Map<String, byte[]> hostileBodies() {
    Map<String, byte[]> bodies = new java.util.LinkedHashMap<>();
    bodies.put("escaped NUL in content", utf8(withContent("a\\u0000b")));
    bodies.put("escaped NUL only", utf8(withContent("\\u0000")));
    bodies.put("escaped NUL in model", utf8(body("\"gpt-4o-mini\\u0000\"", "\"x\"", "")));
    bodies.put("escaped NUL in role", utf8(body("\"gpt-4o-mini\"", "\"x\"", "u\\u0000ser")));
    bodies.put("escaped NUL in metadata key", utf8(withMetadata("\"\\u0000\":\"v\"")));
    bodies.put("escaped NUL in metadata value", utf8(withMetadata("\"k\":\"\\u0000\"")));
    bodies.put("escaped NUL in priority", utf8(withField("\"priority\":\"bulk\\u0000\"")));
    bodies.put("escaped NUL in mode", utf8(withField("\"mode\":\"\\u0000\"")));
    bodies.put("escaped NUL in deadline", utf8(withField("\"deadline\":\"2099\\u0000\"")));
    bodies.put("escaped NUL as field name", utf8(withField("\"\\u0000\":1")));
    bodies.put(
        "escaped NUL in response_schema",
        utf8(withField("\"response_schema\":{\"\\u0000\":\"\\u0000\"}")));
    bodies.put("raw NUL byte in a string", utf8(withContent("a\u0000b")));
    bodies.put("raw NUL byte outside strings", utf8(withField("\"max_tokens\":1\u0000")));
    bodies.put("lone high surrogate", utf8(withContent("a\\uD800b")));
    bodies.put("lone low surrogate", utf8(withContent("\\uDC00")));
    bodies.put("reversed surrogate pair", utf8(withContent("\\uDC00\\uD800")));
    bodies.put("lone surrogate in metadata", utf8(withMetadata("\"k\":\"\\uD83D\"")));
    bodies.put("lone surrogate in metadata key", utf8(withMetadata("\"\\uD83D\":\"v\"")));
    bodies.put("escaped surrogate pair", utf8(withContent("\\uD83D\\uDCA9")));
    bodies.put("invalid UTF-8 0xFF", withRawContent(new byte[] {'a', (byte) 0xFF, 'b'}));
    bodies.put("invalid UTF-8 0xC3 0x28", withRawContent(new byte[] {(byte) 0xC3, 0x28}));
    bodies.put("overlong NUL 0xC0 0x80", withRawContent(new byte[] {(byte) 0xC0, (byte) 0x80}));
    bodies.put(
        "UTF-8 encoded surrogate",
        withRawContent(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    bodies.put("truncated UTF-8", withRawContent(new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
    bodies.put(
        "invalid UTF-8 outside strings", concat(utf8("{\"model\""), new byte[] {(byte) 0xFE}));
    bodies.put("UTF-16 body", VALID_UTF16);
    bodies.put("only NUL bytes", new byte[] {0, 0, 0, 0});
    bodies.put(
        "BOM then JSON",
        concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(withContent("x"))));
    bodies.put("empty body", new byte[0]);
    bodies.put("emoji and CJK", utf8(withContent("💩 漢字 ✓")));
    bodies.put(
        "deeply nested schema",
        utf8(withField("\"response_schema\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2000))));
    return bodies;
  }

  private static final byte[] VALID_UTF16 = withContent("x").getBytes(StandardCharsets.UTF_16);

  private static String withContent(String content) {
    return body("\"gpt-4o-mini\"", "\"" + content + "\"", "user");
  }

  private static String body(String model, String content, String role) {
    return "{\"model\":"
        + model
        + ",\"messages\":[{\"role\":\""
        + role
        + "\",\"content\":"
        + content
        + "}]}";
  }

  private static String withField(String field) {
    String base = withContent("x");
    return base.substring(0, base.length() - 1) + "," + field + "}";
  }

  private static String withMetadata(String entries) {
    return withField("\"metadata\":{" + entries + "}");
  }

  private static byte[] withRawContent(byte[] content) {
    String[] parts = withContent("@@").split("@@");
    return concat(utf8(parts[0]), content, utf8(parts[1]));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static HttpResponse<String> post(byte[] body) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url("/v1/jobs"))
            .header("Authorization", "Bearer " + client.key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static SubmittedJob awaitSubmitted(String id) {
    String topic = fixture.topics.jobsSubmitted().name();
    List<ConsumerRecord<String, String>> found =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    KafkaTestClients.readAll(topic).stream()
                        .filter(r -> r.key().equals(id))
                        .toList(),
                records -> !records.isEmpty());
    return SUBMITTED.fromBytes(found.getFirst().value().getBytes(StandardCharsets.UTF_8));
  }

  private static void publishSucceeded(String id, String output) {
    Instant now = Instant.now();
    JobEvent event =
        new JobEvent(
            1,
            "evt-" + id,
            id,
            client.tenant.id(),
            JobStatus.SUCCEEDED,
            output,
            new TokenUsage(3, 2),
            "openai",
            "gpt-4o-mini",
            new BigDecimal("0.000001"),
            null,
            1,
            now,
            now);
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), id, EVENTS.toJson(event));
  }

  private static String abbreviated(String id) {
    return id.length() > 40 ? id.substring(0, 40) + "…(" + id.length() + ")" : id;
  }
}
