package io.sluice.jobapi.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.jobapi.job.JobRequest;
import io.sluice.jobapi.job.JobRequestParser;
import io.sluice.schemas.model.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdempotencyTest {
  private final JobRequestParser parser =
      new JobRequestParser(ModelCatalog.defaults(), Clock.systemUTC());

  private String fingerprintOf(String json) {
    JobRequest request = parser.parse(json.getBytes(StandardCharsets.UTF_8));
    return RequestFingerprint.of(request);
  }

  @Test
  void shouldGiveTheSameFingerprintRegardlessOfKeyOrderWhitespaceAndSpelledOutDefaults() {
    String compact =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
            + "\"response_schema\":{\"a\":1,\"b\":2},\"metadata\":{\"x\":\"1\",\"y\":\"2\"}}";
    String reordered =
        """
        { "metadata": {"y": "2", "x": "1"},
          "priority": "standard", "mode": "realtime", "type": "completion",
          "response_schema": {"b": 2, "a": 1},
          "messages": [ {"content": "hi", "role": "user"} ], "model": "gpt-4o" }
        """;

    assertThat(fingerprintOf(reordered)).isEqualTo(fingerprintOf(compact)).hasSize(64);
  }

  @Test
  void shouldGiveADifferentFingerprintForADifferentRequest() {
    String base = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    assertThat(fingerprintOf(base + "}"))
        .isNotEqualTo(fingerprintOf(base + ",\"max_tokens\":5}"))
        .isNotEqualTo(fingerprintOf(base.replace("hi", "ho") + "}"))
        .isNotEqualTo(fingerprintOf(base + ",\"priority\":\"bulk\"}"));
  }

  @Test
  void shouldReplayTheOriginalJobForTheSameRequest() {
    IdempotencyRecord record =
        new IdempotencyRecord(new IdempotencyKey("k-1"), "abc", "job_1", Instant.EPOCH);

    assertThat(record.replayFor("abc")).isEqualTo("job_1");
  }

  @Test
  void shouldRefuseTheKeyForADifferentRequestNamingTheFirstJob() {
    IdempotencyRecord record =
        new IdempotencyRecord(new IdempotencyKey("k-1"), "abc", "job_1", Instant.EPOCH);

    assertThatThrownBy(() -> record.replayFor("def"))
        .isInstanceOfSatisfying(
            IdempotencyKeyReusedException.class, e -> assertThat(e.jobId()).isEqualTo("job_1"))
        .hasMessageContaining("k-1")
        .hasMessageContaining("different request body");
  }

  @Test
  void shouldExpireAtTheRetentionInstant() {
    Instant expiry = Instant.parse("2030-01-02T00:00:00Z");
    IdempotencyRecord record = new IdempotencyRecord(new IdempotencyKey("k"), "f", "j", expiry);

    assertThat(record.isExpiredAt(expiry.minusMillis(1))).isFalse();
    assertThat(record.isExpiredAt(expiry)).isTrue();
  }

  @Test
  void shouldAcceptKeysUpTo255PrintableCharacters() {
    assertThat(new IdempotencyKey("a".repeat(255)).value()).hasSize(255);
    assertThat(new IdempotencyKey("order 42/retry:1").value()).isEqualTo("order 42/retry:1");
  }

  @Test
  void shouldRejectEmptyOverlongAndNonAsciiKeysNamingTheHeader() {
    for (String bad : new String[] {"", "  ", "a".repeat(256), "clé", "tab\there"}) {
      assertThatThrownBy(() -> new IdempotencyKey(bad))
          .isInstanceOfSatisfying(
              InvalidIdempotencyKeyException.class,
              e -> {
                assertThat(e.getMessage()).startsWith("Idempotency-Key ");
                assertThat(e.problem()).isNotBlank();
              });
    }
  }
}
