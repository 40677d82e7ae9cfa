package io.sluice.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.providers.BatchState;
import io.sluice.providers.BatchStatus;
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

class AnthropicWireTest {
  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  @Test
  void shouldMoveSystemMessagesToTheTopAndFillInMaxTokens() throws Exception {
    CompletionSpec spec =
        new CompletionSpec(
            "claude-haiku-4-5",
            List.of(
                ChatMessage.system("be brief"),
                ChatMessage.system("answer in English"),
                ChatMessage.user("reverse: abc")),
            null,
            0.5,
            null);
    assertThat(AnthropicWire.messagesRequest(spec, 1024))
        .isEqualTo(
            json(
                """
                {"model":"claude-haiku-4-5","max_tokens":1024,
                 "messages":[{"role":"user","content":"reverse: abc"}],
                 "system":"be brief\\n\\nanswer in English","temperature":0.5}
                """));
  }

  @Test
  void shouldAskForNativeStructuredOutput() throws Exception {
    JsonNode schema = json("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}");
    JsonNode body =
        AnthropicWire.messagesRequest(
            new CompletionSpec(
                "claude-sonnet-4-5", List.of(ChatMessage.user("x")), 50, null, schema),
            1024);
    assertThat(body.path("max_tokens").asInt()).isEqualTo(50);
    assertThat(body.at("/output_config/format/type").asText()).isEqualTo("json_schema");
    assertThat(body.at("/output_config/format/schema")).isEqualTo(schema);
  }

  @Test
  void shouldReadTextBlocksAndUsageIncludingCache() throws Exception {
    ParsedCompletion parsed =
        AnthropicWire.parseMessage(
            json(
                """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-haiku-4-5",
                 "content":[{"type":"text","text":"cb"},{"type":"text","text":"a"}],
                 "stop_reason":"end_turn",
                 "usage":{"input_tokens":10,"output_tokens":2,"cache_creation_input_tokens":3,
                          "cache_read_input_tokens":4}}
                """));
    assertThat(parsed)
        .isEqualTo(new ParsedCompletion("cba", new TokenUsage(17, 2), "claude-haiku-4-5", null));
  }

  @Test
  void shouldReadTheMessageBatchObject() throws Exception {
    BatchStatus status =
        AnthropicBatchWire.status(
            json(
                """
                {"id":"msgbatch_1","type":"message_batch","processing_status":"ended",
                 "request_counts":{"processing":0,"succeeded":3,"errored":1,"canceled":0,"expired":2},
                 "created_at":"2026-03-01T12:00:00Z","expires_at":"2026-03-02T12:00:00Z",
                 "ended_at":"2026-03-02T12:00:00Z","cancel_initiated_at":null,
                 "results_url":"https://api.anthropic.com/v1/messages/batches/msgbatch_1/results"}
                """));
    assertThat(status.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(status.counts().total()).isEqualTo(6);
    assertThat(status.counts().expired()).isEqualTo(2);
    assertThat(status.expiresAt()).isEqualTo(Instant.parse("2026-03-02T12:00:00Z"));
    assertThat(
            AnthropicBatchWire.status(
                    json(
                        """
                        {"id":"msgbatch_2","processing_status":"ended",
                         "cancel_initiated_at":"2026-03-01T12:00:00Z","request_counts":{}}
                        """))
                .state())
        .isEqualTo(BatchState.CANCELLED);
  }

  @Test
  void shouldMapEveryResultType() {
    String jsonl =
        """
        {"custom_id":"ok","result":{"type":"succeeded","message":{"model":"claude-haiku-4-5","content":[{"type":"text","text":"6"}],"usage":{"input_tokens":11,"output_tokens":1}}}}
        {"custom_id":"bad","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: too large"}}}}
        {"custom_id":"flaky","result":{"type":"errored","error":{"type":"error","error":{"type":"api_error","message":"Internal server error"}}}}
        {"custom_id":"stopped","result":{"type":"canceled"}}
        {"custom_id":"late","result":{"type":"expired"}}
        """;
    Map<String, BatchItemResult> results =
        AnthropicBatchWire.results(jsonl).stream()
            .collect(Collectors.toMap(BatchItemResult::customId, Function.identity()));

    assertThat(results.get("ok"))
        .isEqualTo(BatchItemResult.succeeded("ok", "6", new TokenUsage(11, 1), "claude-haiku-4-5"));
    assertThat(results.get("bad").status()).isEqualTo(BatchItemStatus.ERRORED);
    assertThat(results.get("bad").error().code()).isEqualTo("invalid_request_error");
    assertThat(results.get("bad").error().message()).isEqualTo("max_tokens: too large");
    assertThat(results.get("bad").error().retriable()).isFalse();
    assertThat(results.get("flaky").error().retriable()).isTrue();
    assertThat(results.get("stopped").status()).isEqualTo(BatchItemStatus.CANCELLED);
    assertThat(results.get("late").status()).isEqualTo(BatchItemStatus.EXPIRED);
  }
}
