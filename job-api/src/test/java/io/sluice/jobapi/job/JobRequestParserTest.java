package io.sluice.jobapi.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.model.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobRequestParserTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private final JobRequestParser parser =
      new JobRequestParser(ModelCatalog.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

  private JobRequest parse(String json) {
    return parser.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private List<FieldError> errorsOf(String json) {
    try {
      parse(json);
    } catch (InvalidJobRequestException e) {
      return e.fieldErrors();
    }
    throw new AssertionError("expected the request to be rejected: " + json);
  }

  @Test
  void shouldApplyDefaultsToAMinimalRequest() {
    JobRequest request =
        parse("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(request.completion().model()).isEqualTo("gpt-4o-mini");
    assertThat(request.completion().messages()).containsExactly(ChatMessage.user("hi"));
    assertThat(request.priority()).isEqualTo(Priority.STANDARD);
    assertThat(request.mode()).isEqualTo(Mode.REALTIME);
    assertThat(request.metadata()).isEmpty();
    assertThat(request.deadline()).isNull();
  }

  @Test
  void shouldReadEveryFieldOfAFullRequest() {
    JobRequest request =
        parse(
            """
            {"type":"completion","model":"fast",
             "messages":[{"role":"system","content":"be brief"},{"role":"user","content":"sum: 1 2"}],
             "max_tokens":64,"temperature":0.5,"response_schema":{"type":"object"},
             "priority":"interactive","mode":"auto","deadline":"2030-01-02T00:00:00+01:00",
             "metadata":{"team":"search"}}
            """);

    assertThat(request.completion().maxTokens()).isEqualTo(64);
    assertThat(request.completion().temperature()).isEqualTo(0.5);
    assertThat(request.completion().responseSchema().get("type").asText()).isEqualTo("object");
    assertThat(request.priority()).isEqualTo(Priority.INTERACTIVE);
    assertThat(request.mode()).isEqualTo(Mode.AUTO);
    assertThat(request.deadline()).isEqualTo(Instant.parse("2030-01-01T23:00:00Z"));
    assertThat(request.metadata()).isEqualTo(Map.of("team", "search"));
  }

  @Test
  void shouldTreatExplicitNullAsNotGivenForOptionalFields() {
    JobRequest request =
        parse(
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"max_tokens\":null,\"priority\":null,\"metadata\":null}");

    assertThat(request.completion().maxTokens()).isNull();
    assertThat(request.priority()).isEqualTo(Priority.STANDARD);
  }

  /**
   * A deadline too close for any batch, or for any call at all, is the platform's to handle (a
   * realtime lane, or {@code expired}), not a client mistake; only a past deadline is refused.
   */
  @ParameterizedTest
  @ValueSource(strings = {"deferred", "auto"})
  void shouldAcceptAJobThatMayWaitWithADeadlineTooCloseForABatch(String mode) {
    JobRequest request =
        parse(
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"mode\":\""
                + mode
                + "\",\"deadline\":\"2030-01-01T00:00:00.001Z\"}");

    assertThat(request.mode()).isEqualTo(Mode.fromWire(mode).orElseThrow());
    assertThat(request.deadline()).isEqualTo(NOW.plusMillis(1));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"mode\":\"deferred\",\"deadline\":\"2030-01-01T00:00:00Z\"  | deadline | must be in the future",
        "\"mode\":\"auto\",\"deadline\":\"2030-01-01\"               | deadline | RFC 3339",
        "\"mode\":\"auto\",\"deadline\":1893456000                     | deadline | RFC 3339",
        "\"mode\":\"Auto\",\"deadline\":\"2030-01-02T00:00:00Z\"      | mode     | realtime, deferred, auto",
        "\"mode\":\"batch\"                                            | mode     | realtime, deferred, auto",
      })
  void shouldNameTheModeOrDeadlineThatIsWrong(String fields, String badField, String hint) {
    assertThat(
            errorsOf(
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                    + fields
                    + "}"))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.field()).isEqualTo(badField);
              assertThat(error.message()).contains(hint);
            });
  }

  @Test
  void shouldNameEveryBadFieldAtOnce() {
    List<FieldError> errors =
        errorsOf(
            """
            {"model":"no-such-model","messages":[{"role":"robot","content":7},{"role":"user"}],
             "max_tokens":0,"temperature":"hot","priority":"urgent","mode":"later",
             "deadline":"tomorrow","metadata":{"a":1},"colour":"blue"}
            """);

    assertThat(errors)
        .extracting(FieldError::field)
        .containsExactlyInAnyOrder(
            "colour",
            "model",
            "messages[0].role",
            "messages[0].content",
            "messages[1].content",
            "max_tokens",
            "temperature",
            "priority",
            "mode",
            "deadline",
            "metadata.a");
  }

  @Test
  void shouldListTheAllowedRolesForABadRole() {
    assertThat(
            errorsOf("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"bot\",\"content\":\"x\"}]}"))
        .containsExactly(
            new FieldError("messages[0].role", "must be one of system, user, assistant"));
  }

  @Test
  void shouldRejectAnUnknownModelNamingTheKnownOnes() {
    List<FieldError> errors =
        errorsOf("{\"model\":\"gpt-99\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");

    assertThat(errors)
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.field()).isEqualTo("model");
              assertThat(error.message())
                  .contains("unknown model 'gpt-99'")
                  .contains("gpt-4o-mini");
            });
  }

  @Test
  void shouldUseTheConfiguredModelCatalog() {
    JobRequestParser custom =
        new JobRequestParser(
            ModelCatalog.builder().model("local-llama", "vllm").build(), Clock.systemUTC());
    byte[] body =
        "{\"model\":\"local-llama\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    assertThat(custom.parse(body).completion().model()).isEqualTo("local-llama");
  }

  @Test
  void shouldRequireModelAndMessages() {
    assertThat(errorsOf("{}"))
        .containsExactly(
            new FieldError("model", "is required"), new FieldError("messages", "is required"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"messages\":[]                                   | messages",
        "\"messages\":\"hi\"                               | messages",
        "\"messages\":[\"hi\"]                             | messages[0]",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"name\":\"n\"}] | messages[0].name",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":1.5 | max_tokens",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":1000001 | max_tokens",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":\"10\" | max_tokens",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":2.1 | temperature",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":-0.1 | temperature",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_schema\":[] | response_schema",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"response_schema\":{\"type\":\"objekt\"} | response_schema",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_repairs\":6 | max_repairs",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_repairs\":-1 | max_repairs",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_repairs\":1.5 | max_repairs",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"type\":\"batch\" | type",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"deadline\":\"2029-12-31T23:59:59Z\" | deadline",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"deadline\":\"2030-01-02T00:00:00\" | deadline",
        "\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"metadata\":[] | metadata",
      })
  void shouldRejectAnOutOfRangeOrMistypedField(String fields, String badField) {
    assertThat(errorsOf("{\"model\":\"gpt-4o\"," + fields + "}"))
        .extracting(FieldError::field)
        .containsExactly(badField);
  }

  @Test
  void shouldReadMaxRepairsAndCheckTheResponseSchemaAsAJsonSchema() {
    String base = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],";

    var request = parse(base + "\"response_schema\":{\"type\":\"object\"},\"max_repairs\":0}");
    var defaulted = parse(base + "\"response_schema\":{\"type\":\"object\"}}");

    assertThat(request.completion().maxRepairs()).isZero();
    assertThat(defaulted.completion().maxRepairs()).isNull();
    assertThat(errorsOf(base + "\"response_schema\":{\"required\":\"name\"}}"))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.field()).isEqualTo("response_schema");
              assertThat(error.message())
                  .startsWith("is not a valid JSON Schema")
                  .contains("/required");
            });
    assertThat(errorsOf(base + "\"response_schema\":{\"$ref\":\"#/$defs/nope\"}}"))
        .extracting(FieldError::field)
        .containsExactly("response_schema");
    assertThat(errorsOf(base + "\"max_repairs\":9}"))
        .containsExactly(new FieldError("max_repairs", "must be between 0 and 5"));
  }

  @Test
  void shouldReadTheJobsOwnFallbackChainOrNoneOrTheDeployments() {
    String base = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";

    assertThat(
            parse(base + ",\"fallback\":[\"claude-haiku-4-5\",\"gemini-flash\"]}")
                .completion()
                .fallback())
        .containsExactly("claude-haiku-4-5", "gemini-flash");
    assertThat(parse(base + ",\"fallback\":false}").completion().fallback()).isEmpty();
    assertThat(parse(base + ",\"fallback\":true}").completion().fallback()).isNull();
    assertThat(parse(base + "}").completion().fallback()).isNull();
  }

  @Test
  void shouldRefuseAFallbackChainNamingAnUnknownModelByItsIndex() {
    String base = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";

    assertThat(errorsOf(base + ",\"fallback\":[\"claude-haiku-4-5\",\"claude-9\",7]}"))
        .satisfiesExactly(
            unknown -> {
              assertThat(unknown.field()).isEqualTo("fallback[1]");
              assertThat(unknown.message()).startsWith("unknown model 'claude-9'");
            },
            notAName -> assertThat(notAName.field()).isEqualTo("fallback[2]"));
    assertThat(errorsOf(base + ",\"fallback\":\"claude-haiku-4-5\"}"))
        .extracting(FieldError::field)
        .containsExactly("fallback");
    assertThat(
            errorsOf(
                base + ",\"fallback\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}"))
        .containsExactly(new FieldError("fallback", "must name at most 8 models"));
  }

  @Test
  void shouldCheckTheSchemasOfAMapReduceJobsPhases() {
    String body =
        """
        {"type":"map_reduce","model":"gpt-4o","document":"text",
         "map":{"instruction":"m","schema":{"type":"objekt"}},
         "reduce":{"instruction":"r","schema":{"type":"object"}}}""";

    assertThat(errorsOf(body)).extracting(FieldError::field).containsExactly("map.schema");
  }

  @Test
  void shouldLimitMetadataEntriesAndValueLength() {
    String tooMany =
        "{"
            + String.join(
                ",",
                java.util.stream.IntStream.range(0, 33)
                    .mapToObj(i -> "\"k" + i + "\":\"v\"")
                    .toList())
            + "}";
    String base = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],";

    assertThat(errorsOf(base + "\"metadata\":" + tooMany + "}"))
        .extracting(FieldError::field)
        .containsExactly("metadata");
    assertThat(errorsOf(base + "\"metadata\":{\"k\":\"" + "v".repeat(501) + "\"}}"))
        .extracting(FieldError::field)
        .containsExactly("metadata.k");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"model\": | not valid JSON",
        "[1,2] | must be a JSON object",
        "\"text\" | must be a JSON object",
        "{\"model\":\"a\",\"model\":\"b\"} | not valid JSON",
        "{} {} | not valid JSON",
      })
  void shouldRejectABodyThatIsNotOneJsonObject(String body, String message) {
    assertThatThrownBy(() -> parse(body))
        .isInstanceOfSatisfying(
            InvalidJobRequestException.class,
            e -> {
              assertThat(e.getMessage()).contains(message);
              assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("body");
            });
  }

  @Test
  void shouldRejectAnEmptyBody() {
    assertThatThrownBy(() -> parser.parse(new byte[0]))
        .isInstanceOf(InvalidJobRequestException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> parser.parse(null)).isInstanceOf(InvalidJobRequestException.class);
  }
}
