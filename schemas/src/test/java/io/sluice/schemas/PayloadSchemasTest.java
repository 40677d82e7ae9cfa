package io.sluice.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PayloadSchemasTest {
  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final CompletionSpec SPEC =
      new CompletionSpec("gpt-4o-mini", List.of(ChatMessage.user("reverse: abc")), 64, 0.0, null);
  private static final SubmittedJob JOB =
      SubmittedJob.completion("job_1", "tenant_a", Priority.BULK, Mode.REALTIME, SPEC, T0, null);
  private static final Task TASK =
      new Task(
          Versioned.CURRENT,
          Task.completionTaskId("job_1"),
          "job_1",
          "tenant_a",
          "openai",
          Lane.BULK,
          SPEC,
          9,
          T0,
          null);

  private final SchemaRegistry schemas =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder ->
              builder.schemaIdResolvers(
                  resolvers ->
                      resolvers.mapPrefix(
                          "https://sluice.io/schemas/", "classpath:io/sluice/schemas/")));

  @Test
  void shouldWriteEveryPayloadAsItsJsonSchemaSays() {
    TaskResult ok =
        TaskResult.succeeded(
            TASK,
            "cba",
            new TokenUsage(9, 2),
            "gpt-4o-mini",
            new BigDecimal("0.0000026"),
            1,
            T0,
            T0);
    TaskResult failed =
        TaskResult.failed(TASK, ErrorInfo.permanent("provider_rejected", "bad request"), 1, T0, T0);
    TaskResult started = TaskResult.started(TASK, T0);
    JobEvent event =
        new JobEvent(
            Versioned.CURRENT,
            "job_1.succeeded",
            "job_1",
            "tenant_a",
            JobStatus.SUCCEEDED,
            "cba",
            new TokenUsage(9, 2),
            "openai",
            "gpt-4o-mini",
            null,
            null,
            1,
            T0,
            T0);

    assertThat(violations("submitted-job", JOB)).isEmpty();
    assertThat(violations("task", TASK)).isEmpty();
    assertThat(violations("task-result", ok)).isEmpty();
    assertThat(violations("task-result", failed)).isEmpty();
    assertThat(violations("task-result", started)).isEmpty();
    assertThat(Json.mapper().valueToTree(started).get("outcome").asText()).isEqualTo("started");
    assertThat(violations("job-event", event)).isEmpty();
  }

  @Test
  void shouldCarryStructuredOutputAndRepairsAndStillReadPayloadsWrittenWithoutThem()
      throws Exception {
    var schema = Json.mapper().readTree("{\"type\":\"object\"}");
    var structured =
        new CompletionSpec(
            "gpt-4o-mini", List.of(ChatMessage.user("extract")), 64, null, schema, 3);
    Task task = TASK.withRequest(structured, 12);
    TaskResult valid =
        TaskResult.succeeded(
                task,
                "{\"a\":1}",
                new TokenUsage(30, 8),
                "gpt-4o-mini",
                new BigDecimal("0.000012"),
                2,
                T0,
                T0)
            .withStructuredOutput(Json.mapper().readTree("{\"a\":1}"), 1);
    TaskResult mismatch =
        TaskResult.failed(
                task, ErrorInfo.permanent("output_schema_mismatch", "/a: required"), 4, T0, T0)
            .withCalls(new TokenUsage(50, 20), "gpt-4o-mini", new BigDecimal("0.00002"))
            .withStructuredOutput(null, 3);

    assertThat(violations("task", task)).isEmpty();
    assertThat(violations("task-result", valid)).isEmpty();
    assertThat(violations("task-result", mismatch)).isEmpty();
    assertThat(mismatch.usage()).isEqualTo(new TokenUsage(50, 20));
    assertThat(mismatch.costUsd()).isEqualByComparingTo("0.00002");
    assertThat(mismatch.repairs()).isEqualTo(3);
    String written = Json.mapper().writeValueAsString(valid);
    assertThat(Json.mapper().readValue(written, TaskResult.class)).isEqualTo(valid);
    assertThat(Json.mapper().readTree(written).get("output_json").get("a").asInt()).isEqualTo(1);
    assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(task), Task.class))
        .isEqualTo(task);

    String old =
        Json.mapper().writeValueAsString(TaskResult.failed(TASK, mismatch.error(), 1, T0, T0));
    TaskResult read = Json.mapper().readValue(old, TaskResult.class);
    assertThat(read.outputJson()).isNull();
    assertThat(read.repairs()).isNull();
    assertThat(
            Json.mapper()
                .readValue(Json.mapper().writeValueAsString(SPEC), CompletionSpec.class)
                .maxRepairs())
        .isNull();
  }

  @Test
  void shouldWriteTheDeferredLanesPlacementsExpiryAndRealtimePriceAsTheSchemasSay() {
    var inBatch = new Placement(Placement.Stage.IN_PROVIDER_BATCH, "batch_abc", 2, T0);
    TaskResult placed = TaskResult.placed(TASK, inBatch);
    TaskResult expired = TaskResult.expired(TASK, 0, null, T0);
    TaskResult atBatchPrice =
        TaskResult.succeeded(
                TASK,
                "cba",
                new TokenUsage(9, 2),
                "gpt-4o-mini",
                new BigDecimal("0.0013"),
                1,
                T0,
                T0)
            .withPlacement(inBatch)
            .withRealtimeCost(new BigDecimal("0.0026"));
    JobEvent event =
        new JobEvent(
            Versioned.CURRENT,
            "job_1.placed.2",
            "job_1",
            "tenant_a",
            JobStatus.RUNNING,
            null,
            TokenUsage.NONE,
            "openai",
            "gpt-4o-mini",
            null,
            null,
            0,
            null,
            T0,
            inBatch,
            null);

    assertThat(violations("task-result", placed)).isEmpty();
    assertThat(violations("task-result", expired)).isEmpty();
    assertThat(violations("task-result", atBatchPrice)).isEmpty();
    assertThat(violations("job-event", event)).isEmpty();
    JsonNode json = Json.mapper().valueToTree(placed);
    assertThat(json.get("outcome").asText()).isEqualTo("placed");
    assertThat(json.get("placement").get("stage").asText()).isEqualTo("in_provider_batch");
    assertThat(json.get("placement").get("provider_batch_id").asText()).isEqualTo("batch_abc");
    assertThat(Json.mapper().valueToTree(atBatchPrice).get("realtime_cost_usd").decimalValue())
        .isEqualByComparingTo("0.0026");
    assertThat(expired.outcome().isTerminal()).isTrue();
    assertThat(placed.outcome().isTerminal()).isFalse();
    JsonSerde<TaskResult> serde = JsonSerde.of(TaskResult.class);
    assertThat(
            serde.deserializer().deserialize("t", serde.serializer().serialize("t", atBatchPrice)))
        .isEqualTo(atBatchPrice);
  }

  @Test
  void shouldRejectAPlacedResultWithoutItsPlacement() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TaskResult.placed(TASK, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldUseSnakeCaseAndLowerCaseEnumsOnTheWire() {
    JsonNode json = Json.mapper().valueToTree(TASK);

    assertThat(json.get("task_id").asText()).isEqualTo("job_1.c");
    assertThat(json.get("lane").asText()).isEqualTo("bulk");
    assertThat(json.get("estimated_input_tokens").asLong()).isEqualTo(9);
    assertThat(json.get("request").get("max_tokens").asInt()).isEqualTo(64);
    assertThat(json.get("created_at").asText()).isEqualTo("2026-11-22T10:00:00Z");
  }

  @Test
  void shouldRoundTripThroughTheKafkaSerde() {
    JsonSerde<Task> serde = JsonSerde.of(Task.class);

    Task back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", TASK));

    assertThat(back).isEqualTo(TASK);
  }

  @Test
  void shouldRejectAnUnknownMajorSchemaVersion() {
    String future =
        JsonSerde.of(Task.class)
            .toJson(TASK)
            .replace("\"schema_version\":1", "\"schema_version\":2");

    assertRejected(future, "schema_version 2");
  }

  @Test
  void shouldNameTheVersionOfAFuturePayloadThatDoesNotEvenBind() {
    String future =
        JsonSerde.of(Task.class)
            .toJson(TASK)
            .replace("\"schema_version\":1", "\"schema_version\":3")
            .replaceAll("\"lane\":\"([a-z]+)\"", "\"lane\":{\"name\":\"$1\"}");
    assertThat(future).contains("\"lane\":{");

    assertRejected(future, "schema_version 3");
  }

  @Test
  void shouldRejectAPayloadWithoutASchemaVersion() {
    String unversioned = JsonSerde.of(Task.class).toJson(TASK).replace("\"schema_version\":1,", "");
    assertThat(unversioned).doesNotContain("schema_version");

    assertRejected(unversioned, "schema_version 0");
  }

  @Test
  void shouldRejectMalformedJsonWithASerializationException() {
    assertRejected("{not json", "not a valid Task");
  }

  /** Reading {@code json} as a task fails with a serialization error that says {@code why}. */
  private static void assertRejected(String json, String why) {
    assertThatThrownBy(
            () ->
                JsonSerde.of(Task.class)
                    .deserializer()
                    .deserialize("t", json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining(why);
  }

  @Test
  void shouldAcceptAValidPublicRequestAndRejectAnInvalidOne() throws Exception {
    JsonNode valid =
        Json.mapper()
            .readTree(
                """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],
                 "priority":"bulk","max_tokens":100}""");
    JsonNode invalid =
        Json.mapper()
            .readTree(
                """
                {"messages":[{"role":"robot","content":"hi"}],"priority":"urgent","surprise":1}""");

    assertThat(validate("create-job-request", valid)).isEmpty();
    assertThat(validate("create-job-request", invalid))
        .extracting(Error::toString)
        .anySatisfy(m -> assertThat(m).contains("model"))
        .anySatisfy(m -> assertThat(m).contains("role"))
        .anySatisfy(m -> assertThat(m).contains("priority"))
        .anySatisfy(m -> assertThat(m).contains("surprise"));
  }

  private List<Error> violations(String schema, Object payload) {
    return validate(schema, Json.mapper().valueToTree(payload));
  }

  private List<Error> validate(String schema, JsonNode json) {
    Schema jsonSchema =
        schemas.getSchema(
            SchemaLocation.of("https://sluice.io/schemas/" + schema + ".schema.json"));
    return jsonSchema.validate(json);
  }
}
