package io.sluice.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResponseSchemaTest {
  private static final String PERSON =
      """
      {"type":"object","required":["name","age"],"additionalProperties":false,
       "properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0}}}""";

  @Test
  void shouldAcceptAValidDraft202012Schema() {
    assertThat(ResponseSchema.problemWith(json(PERSON))).isEmpty();
    assertThat(ResponseSchema.compile(json(PERSON)).violations(json("{\"name\":\"a\",\"age\":3}")))
        .isEqualTo(Violations.of(java.util.List.of()));
  }

  @Test
  void shouldNameWhatMakesASchemaInvalid() {
    assertThat(ResponseSchema.problemWith(json("{\"type\":\"objekt\"}")))
        .hasValueSatisfying(
            p -> assertThat(p).startsWith("is not a valid JSON Schema").contains("/type"));
    assertThat(ResponseSchema.problemWith(json("{\"required\":\"name\"}")))
        .hasValueSatisfying(p -> assertThat(p).contains("/required").contains("array"));
    assertThat(ResponseSchema.problemWith(json("{\"minLength\":-1}")))
        .hasValueSatisfying(p -> assertThat(p).contains("/minLength"));
    assertThat(ResponseSchema.problemWith(json("[]"))).contains("must be a JSON Schema object");
  }

  @Test
  void shouldRefuseReferencesThatDoNotResolveAndPatternsThatDoNotCompile() {
    assertThat(ResponseSchema.problemWith(json("{\"$ref\":\"#/$defs/missing\"}")))
        .hasValueSatisfying(p -> assertThat(p).startsWith("cannot be used").contains("missing"));
    assertThat(ResponseSchema.problemWith(json("{\"type\":\"string\",\"pattern\":\"[\"}")))
        .hasValueSatisfying(p -> assertThat(p).startsWith("cannot be used"));
  }

  @Test
  void shouldNeverFetchARemoteReference() throws IOException {
    AtomicInteger fetched = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          fetched.incrementAndGet();
          byte[] body = "{\"type\":\"string\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/s.json";
      assertThat(ResponseSchema.problemWith(json("{\"$ref\":\"" + url + "\"}")))
          .hasValueSatisfying(p -> assertThat(p).startsWith("cannot be used"));
      assertThat(fetched).hasValue(0);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void shouldHonourTheDraftItsSchemaKeywordNames() {
    // a boolean exclusiveMinimum is draft 4's form: wrong in 2020-12 and in draft 7
    String draft4 =
        "{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"integer\","
            + "\"minimum\":0,\"exclusiveMinimum\":true}";
    String draft7 = draft4.replace("draft-04", "draft-07");
    assertThat(ResponseSchema.problemWith(json(draft4))).isEmpty();
    assertThat(ResponseSchema.problemWith(json(draft7)))
        .hasValueSatisfying(p -> assertThat(p).contains("/exclusiveMinimum"));
    assertThat(ResponseSchema.compile(json(draft4)).violations(json("0")).messages())
        .singleElement()
        .asString()
        .startsWith("(root): ");
    assertThat(
            ResponseSchema.problemWith(
                json("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema#\"}")))
        .isEmpty();
    assertThat(
            ResponseSchema.problemWith(json(draft7.replace("draft-07/schema#", "draft-07/schema"))))
        .hasValueSatisfying(p -> assertThat(p).contains("/exclusiveMinimum"));
    assertThat(ResponseSchema.problemWith(json("{\"$schema\":\"https://example.com/mine\"}")))
        .hasValueSatisfying(
            p -> assertThat(p).contains("not a supported draft").contains("2020-12"));
  }

  @Test
  void shouldRefuseSchemasNestedTooDeeply() {
    String deep = "{\"items\":".repeat(100) + "{}" + "}".repeat(100);
    assertThat(ResponseSchema.problemWith(json(deep)))
        .contains("is nested deeper than " + ResponseSchema.MAX_DEPTH + " levels");
    assertThatThrownBy(() -> ResponseSchema.compile(json(deep)))
        .isInstanceOf(InvalidResponseSchemaException.class)
        .hasMessageContaining("nested");
  }

  @Test
  void shouldDescribeViolationsByPathWithoutQuotingValues() {
    ResponseSchema schema = ResponseSchema.compile(json(PERSON));

    Violations found = schema.violations(json("{\"name\":\"SECRET-VALUE\",\"age\":-4,\"x\":1}"));

    assertThat(found.messages())
        .anySatisfy(m -> assertThat(m).startsWith("/age: ").contains("minimum"))
        .anySatisfy(m -> assertThat(m).contains("x"))
        .noneSatisfy(m -> assertThat(m).contains("SECRET-VALUE"));
    assertThat(schema.violations(json("{\"age\":1}")).messages())
        .singleElement()
        .asString()
        .contains("name");
  }

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
