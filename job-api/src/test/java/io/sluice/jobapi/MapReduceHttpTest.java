package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.job.ChunkErrorPolicy;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.json.JsonSerde;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code type: "map_reduce"} over HTTP on a real PostgreSQL and Kafka: the estimate creates
 * nothing, caps refuse with 422 naming the limit and the estimate before anything is stored, bad
 * fields are 400s naming them, and an accepted job reaches {@code jobs.submitted} as one record per
 * chunk, never the whole document.
 */
class MapReduceHttpTest {
  private static final JsonSerde<SubmittedJob> SUBMITTED = JsonSerde.of(SubmittedJob.class);
  private static JobApiFixture api;
  private static JobApiFixture.Client client;

  @BeforeAll
  static void start() {
    api = JobApiFixture.start();
    client = api.newClient();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** 40 paragraphs of about 25 tokens, each with one "needle". */
  static String document() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      text.append("Paragraph ")
          .append(i)
          .append(" says the needle is here and the rest of the sentence is filler text.\n\n");
    }
    return text.toString();
  }

  private static ObjectNode body(Consumer<ObjectNode> customize) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("type", "map_reduce");
    body.put("model", "gpt-4o-mini");
    body.put("document", document());
    body.putObject("map")
        .put("instruction", "count occurrences of \"needle\"")
        .put("max_tokens", 8);
    body.putObject("reduce").put("instruction", "sum the numbers").put("max_tokens", 8);
    body.put("chunk_tokens", 100);
    customize.accept(body);
    return body;
  }

  private static HttpResponse<String> post(String path, ObjectNode body) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(api.url(path))
            .header("Authorization", "Bearer " + client.key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  @Test
  void shouldEstimateChunksCallsAndCostWithoutCreatingAnything() {
    long before = client.jobCount();

    HttpResponse<String> response = post("/v1/jobs/estimate", body(b -> {}));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode estimate = json(response);
    assertThat(estimate.get("chunks").asInt()).isBetween(8, 14);
    assertThat(estimate.get("map_calls").asInt()).isEqualTo(estimate.get("chunks").asInt());
    assertThat(estimate.get("reduce_calls").asInt()).isEqualTo(1);
    assertThat(estimate.get("tree_depth").asInt()).isEqualTo(1);
    assertThat(estimate.get("calls").asInt())
        .isEqualTo(estimate.get("chunks").asInt() + estimate.get("reduce_calls").asInt());
    assertThat(estimate.at("/cost_usd/batch").decimalValue())
        .isLessThan(estimate.at("/cost_usd/realtime").decimalValue());
    assertThat(client.jobCount()).isEqualTo(before);
    assertThat(api.count("SELECT count(*) FROM outbox")).isZero();
  }

  @Test
  void shouldRefuseAJobOverMaxChunksWith422NamingTheLimitAndTheEstimate() {
    long before = client.jobCount();

    HttpResponse<String> response = post("/v1/jobs", body(b -> b.put("max_chunks", 3)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    JsonNode error = json(response);
    assertThat(error.at("/error/type").asText()).isEqualTo("limit_exceeded");
    assertThat(error.at("/error/fields/0/field").asText()).isEqualTo("max_chunks");
    assertThat(error.at("/error/message").asText()).contains("more than max_chunks 3");
    assertThat(error.at("/estimate/chunks").asInt()).isGreaterThan(3);
    assertThat(client.jobCount()).isEqualTo(before);
  }

  @Test
  void shouldRefuseAJobOverMaxCostWith422NamingTheLimitAndTheEstimate() {
    long before = client.jobCount();

    HttpResponse<String> response =
        post("/v1/jobs", body(b -> b.put("max_cost_usd", new java.math.BigDecimal("0.0000001"))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    JsonNode error = json(response);
    assertThat(error.at("/error/fields/0/field").asText()).isEqualTo("max_cost_usd");
    assertThat(error.at("/error/message").asText()).contains("realtime price");
    assertThat(error.at("/estimate/cost_usd/realtime").decimalValue()).isPositive();
    assertThat(client.jobCount()).isEqualTo(before);
  }

  @Test
  void shouldRefuseAReduceThatCannotConvergeWithinTheDepthBound() {
    long before = client.jobCount();

    // A reduce call of gpt-4o-mini (128k) holds two answers of 40,000 tokens: 1 level is not
    // enough.
    HttpResponse<String> response =
        post(
            "/v1/jobs",
            body(
                b -> {
                  ((ObjectNode) b.get("map")).put("max_tokens", 40_000);
                  ((ObjectNode) b.get("reduce")).put("max_tokens", 40_000);
                  b.put("max_depth", 1);
                }));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(json(response).at("/error/message").asText())
        .contains("does not converge within 1 levels");
    assertThat(client.jobCount()).isEqualTo(before);
  }

  @Test
  void shouldNameEveryBadMapReduceFieldWith400() {
    HttpResponse<String> response =
        post(
            "/v1/jobs",
            body(
                b -> {
                  b.remove("document");
                  ((ObjectNode) b.get("map")).remove("instruction");
                  b.put("overlap_tokens", 100);
                  b.put("on_chunk_error", "ignore");
                  b.put("messages", "x");
                }));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(json(response).at("/error/fields").findValuesAsText("field"))
        .contains("document", "map.instruction", "overlap_tokens", "on_chunk_error", "messages");
  }

  @Test
  void shouldPublishOneSmallRecordPerChunkAndShowTheJobAsMapReduce() {
    HttpResponse<String> response = post("/v1/jobs", body(b -> b.put("on_chunk_error", "skip")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String id = json(response).get("id").asText();
    JsonNode shown = json(client.get(id));
    assertThat(shown.get("type").asText()).isEqualTo("map_reduce");
    assertThat(shown.get("status").asText()).isEqualTo("queued");
    int chunks = json(post("/v1/jobs/estimate", body(b -> {}))).get("chunks").asInt();
    String topic = api.topics.jobsSubmitted().name();
    await().atMost(Duration.ofSeconds(30)).until(() -> ofJob(topic, id).size() == chunks);
    List<SubmittedJob> records =
        ofJob(topic, id).stream()
            .map(r -> SUBMITTED.fromBytes(r.value().getBytes(StandardCharsets.UTF_8)))
            .sorted(Comparator.comparingInt(r -> r.chunk().index()))
            .toList();
    assertThat(records)
        .allSatisfy(
            r -> {
              assertThat(r.type()).isEqualTo(JobType.MAP_REDUCE);
              assertThat(r.mapReduce().chunksTotal()).isEqualTo(chunks);
              assertThat(r.mapReduce().onChunkError()).isEqualTo(ChunkErrorPolicy.SKIP);
            });
    assertThat(records.stream().map(r -> r.chunk().index()).toList())
        .isEqualTo(java.util.stream.IntStream.range(0, chunks).boxed().toList());
    assertThat(String.join("", records.stream().map(r -> r.chunk().text()).toList()))
        .as("without overlap the chunks are the document")
        .isEqualTo(document());
    assertThat(ofJob(topic, id)).allSatisfy(r -> assertThat(r.value().length()).isLessThan(4096));
  }

  private static List<ConsumerRecord<String, String>> ofJob(String topic, String id) {
    return KafkaTestClients.readAll(topic).stream().filter(r -> r.key().equals(id)).toList();
  }
}
