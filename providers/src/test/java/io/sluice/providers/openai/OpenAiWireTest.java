package io.sluice.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchState;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.internal.MalformedBodyException;
import io.sluice.providers.internal.ParsedCompletion;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OpenAiWireTest {
  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  @Test
  void shouldMapACallToChatCompletions() throws Exception {
    CompletionSpec spec =
        new CompletionSpec(
            "gpt-4o-mini",
            List.of(ChatMessage.system("be brief"), ChatMessage.user("sum: 1 2")),
            64,
            0.2,
            null);
    assertThat(OpenAiWire.chatRequest(spec, null, OpenAiWire.MAX_TOKENS))
        .isEqualTo(
            json(
                """
                {"model":"gpt-4o-mini","messages":[{"role":"system","content":"be brief"},
                 {"role":"user","content":"sum: 1 2"}],"max_tokens":64,"temperature":0.2}
                """));
  }

  @Test
  void shouldMapAResponseSchemaToJsonSchemaResponseFormat() throws Exception {
    JsonNode schema = json("{\"title\":\"Invoice\",\"type\":\"object\"}");
    CompletionSpec spec =
        new CompletionSpec("gpt-4o", List.of(ChatMessage.user("x")), null, null, schema);
    JsonNode body = OpenAiWire.chatRequest(spec, 100, OpenAiWire.MAX_COMPLETION_TOKENS);
    assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(100);
    assertThat(body.path("response_format"))
        .isEqualTo(
            json(
                """
                {"type":"json_schema","json_schema":{"name":"Invoice","strict":false,
                 "schema":{"title":"Invoice","type":"object"}}}
                """));
    JsonNode untitled =
        OpenAiWire.chatRequest(
            new CompletionSpec(
                "gpt-4o",
                List.of(ChatMessage.user("x")),
                null,
                null,
                json("{\"type\":\"object\"}")),
            null,
            OpenAiWire.MAX_TOKENS);
    assertThat(untitled.at("/response_format/json_schema/name").asText()).isEqualTo("response");
  }

  @Test
  void shouldReadContentUsageAndModel() throws Exception {
    ParsedCompletion parsed =
        OpenAiWire.parseChat(
            json(
                """
                {"id":"chatcmpl-1","model":"gpt-4o-mini-2024-07-18",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"3"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13}}
                """));
    assertThat(parsed)
        .isEqualTo(
            new ParsedCompletion("3", new TokenUsage(12, 1), "gpt-4o-mini-2024-07-18", null));
  }

  @Test
  void shouldReportARefusal() throws Exception {
    ParsedCompletion parsed =
        OpenAiWire.parseChat(
            json(
                """
                {"model":"gpt-4o","choices":[{"message":{"content":null,"refusal":"I can't help"}}],
                 "usage":{"prompt_tokens":5,"completion_tokens":3}}
                """));
    assertThat(parsed.isRefusal()).isTrue();
    assertThat(parsed.refusal()).isEqualTo("I can't help");
  }

  @Test
  void shouldRejectResponsesWithoutChoicesOrUsage() {
    assertThatThrownBy(() -> OpenAiWire.parseChat(json("{\"choices\":[],\"usage\":{}}")))
        .isInstanceOf(MalformedBodyException.class);
    assertThatThrownBy(
            () -> OpenAiWire.parseChat(json("{\"choices\":[{\"message\":{\"content\":\"a\"}}]}")))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessageContaining("usage");
  }

  @Test
  void shouldWriteBatchInputLines() throws Exception {
    String line =
        OpenAiBatchWire.inputLine(
            new BatchRequest(
                "task-1",
                new CompletionSpec("gpt-4o-mini", List.of(ChatMessage.user("hi")), 5, null, null)),
            null);
    assertThat(json(line))
        .isEqualTo(
            json(
                """
                {"custom_id":"task-1","method":"POST","url":"/v1/chat/completions",
                 "body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":5}}
                """));
  }

  @Test
  void shouldReadTheBatchObject() throws Exception {
    BatchStatus status =
        OpenAiBatchWire.status(
            json(
                """
                {"id":"batch_1","object":"batch","status":"in_progress","created_at":1700000000,
                 "expires_at":1700086400,"request_counts":{"total":10,"completed":4,"failed":1}}
                """));
    assertThat(status.batchId()).isEqualTo("batch_1");
    assertThat(status.state()).isEqualTo(BatchState.IN_PROGRESS);
    assertThat(status.counts().processing()).isEqualTo(5);
    assertThat(status.counts().succeeded()).isEqualTo(4);
    assertThat(status.counts().errored()).isEqualTo(1);
    assertThat(status.createdAt()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
    assertThat(status.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_700_086_400));

    BatchStatus failed =
        OpenAiBatchWire.status(
            json(
                """
                {"id":"batch_2","status":"failed","errors":{"object":"list","data":[
                 {"code":"token_limit_exceeded","message":"Enqueued token limit reached","line":null}]}}
                """));
    assertThat(failed.state()).isEqualTo(BatchState.FAILED);
    assertThat(failed.failureCode()).isEqualTo("token_limit_exceeded");
    assertThat(failed.failureMessage()).isEqualTo("Enqueued token limit reached");
    assertThat(failed.refusedForQueueLimit()).isTrue();
    assertThat(status.refusedForQueueLimit()).isFalse();
  }

  @Test
  void shouldMapOutputAndErrorLinesToEveryCustomId() {
    String jsonl =
        """
        {"id":"r1","custom_id":"ok","response":{"status_code":200,"request_id":"q1","body":{"model":"gpt-4o-mini","choices":[{"message":{"content":"cba"}}],"usage":{"prompt_tokens":9,"completion_tokens":2}}},"error":null}
        {"id":"r2","custom_id":"bad","response":{"status_code":400,"body":{"error":{"message":"bad param","type":"invalid_request_error","code":null}}},"error":null}
        {"id":"r3","custom_id":"flaky","response":{"status_code":500,"body":{"error":{"message":"oops","type":"server_error","code":"server_error"}}},"error":null}
        not json at all
        {"id":"r4","custom_id":"late","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}
        {"id":"r5","custom_id":"stopped","response":null,"error":{"code":"batch_cancelled","message":"cancelled"}}

        """;
    Map<String, BatchItemResult> results =
        OpenAiBatchWire.results(jsonl).stream()
            .collect(Collectors.toMap(BatchItemResult::customId, Function.identity()));

    assertThat(results).containsOnlyKeys("ok", "bad", "flaky", "late", "stopped");
    assertThat(results.get("ok"))
        .isEqualTo(BatchItemResult.succeeded("ok", "cba", new TokenUsage(9, 2), "gpt-4o-mini"));
    assertThat(results.get("bad").status()).isEqualTo(BatchItemStatus.ERRORED);
    assertThat(results.get("bad").error().code()).isEqualTo("invalid_request_error");
    assertThat(results.get("bad").error().message()).isEqualTo("bad param");
    assertThat(results.get("bad").error().retriable()).isFalse();
    assertThat(results.get("flaky").error().retriable()).isTrue();
    assertThat(results.get("late").status()).isEqualTo(BatchItemStatus.EXPIRED);
    assertThat(results.get("late").error().code()).isEqualTo("batch_expired");
    assertThat(results.get("stopped").status()).isEqualTo(BatchItemStatus.CANCELLED);
  }
}
