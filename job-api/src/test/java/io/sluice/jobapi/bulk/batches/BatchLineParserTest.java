package io.sluice.jobapi.bulk.batches;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.jobapi.bulk.batches.BatchLineParser.BatchTerms;
import io.sluice.jobapi.job.JobRequestParser;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.model.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** One line of a batch input file into a job request, or the error naming the line. */
class BatchLineParserTest {
  private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");
  private static final BatchTerms DEFERRED =
      new BatchTerms("bulk", "deferred", NOW.plusSeconds(86_400));
  private final BatchLineParser parser =
      new BatchLineParser(
          new JobRequestParser(ModelCatalog.defaults(), Clock.fixed(NOW, ZoneOffset.UTC)),
          "/v1/chat/completions");

  @Test
  void shouldMapAChatCompletionBodyOntoAJobWithTheBatchsTerms() {
    BatchLineParser.Parsed parsed =
        parse(
            "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                + "\"body\":{\"model\":\"claude-haiku-4-5\",\"max_completion_tokens\":7,"
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi \"},"
                + "{\"type\":\"text\",\"text\":\"there\"}]}]}}");

    assertThat(parsed).isInstanceOf(BatchLineParser.Ok.class);
    BatchLineParser.Ok ok = (BatchLineParser.Ok) parsed;
    assertThat(ok.customId()).isEqualTo("a");
    assertThat(ok.request().mode()).isEqualTo(Mode.DEFERRED);
    assertThat(ok.request().priority()).isEqualTo(Priority.BULK);
    assertThat(ok.request().deadline()).isEqualTo(DEFERRED.deadline());
    assertThat(ok.request().completion().maxTokens()).isEqualTo(7);
    assertThat(ok.request().completion().messages().getFirst().content()).isEqualTo("hi there");
  }

  @Test
  void shouldNameTheLineAndWhatIsWrong() {
    assertThat(code("[1,2]")).isEqualTo("invalid_json_line");
    assertThat(code("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\"}"))
        .isEqualTo("invalid_request");
    assertThat(
            code(
                "{\"custom_id\":\"\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{}}"))
        .isEqualTo("invalid_custom_id");
    assertThat(
            code(
                "{\"custom_id\":\"a\\u0000b\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}}"))
        .as("text columns cannot hold NUL")
        .isEqualTo("invalid_custom_id");
    assertThat(
            code(
                "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[],\"n\":2}}"))
        .isEqualTo("invalid_request");
    assertThat(
            error(
                    "{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                        + "\"body\":{\"model\":\"gpt-4o-mini\",\"messages\":[],\"n\":2}}")
                .message())
        .isEqualTo("line 12 has body.n, which Sluice does not support in a batch line");
  }

  private BatchLineParser.Parsed parse(String line) {
    return parser.parse(line.getBytes(StandardCharsets.UTF_8), 12, DEFERRED);
  }

  private LineError error(String line) {
    return ((BatchLineParser.Bad) parse(line)).error();
  }

  private String code(String line) {
    LineError error = error(line);
    assertThat(error.line()).isEqualTo(12);
    return error.code();
  }
}
