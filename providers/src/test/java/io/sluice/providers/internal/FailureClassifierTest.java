package io.sluice.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.providers.ProviderException.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureClassifierTest {
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "429, rate_limit_exceeded, RETRIABLE",
    "429, rate_limit_error, RETRIABLE",
    "429, insufficient_quota, PERMANENT",
    "429, billing_hard_limit_reached, PERMANENT",
    "408, http_408, RETRIABLE",
    "409, conflict, RETRIABLE",
    "500, server_error, RETRIABLE",
    "502, http_502, RETRIABLE",
    "503, http_503, RETRIABLE",
    "504, http_504, RETRIABLE",
    "529, overloaded_error, RETRIABLE",
    "400, invalid_request_error, PERMANENT",
    "401, invalid_api_key, PERMANENT",
    "403, permission_error, PERMANENT",
    "404, model_not_found, PERMANENT",
    "413, request_too_large, PERMANENT",
    "422, unprocessable_entity, PERMANENT",
    "402, billing_error, PERMANENT",
    "302, http_302, PERMANENT"
  })
  void shouldClassifyByStatusAndCode(int status, String code, Kind expected) {
    assertThat(FailureClassifier.classify(status, code, Optional.empty())).isEqualTo(expected);
  }

  @Test
  void shouldObeyShouldRetryHeader() {
    assertThat(FailureClassifier.classify(400, "invalid_request_error", Optional.of(true)))
        .isEqualTo(Kind.RETRIABLE);
    assertThat(FailureClassifier.classify(503, "http_503", Optional.of(false)))
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void shouldKeepQuotaExhaustionPermanentEvenWhenTheHeaderSaysRetry() {
    assertThat(FailureClassifier.classify(429, "insufficient_quota", Optional.of(true)))
        .isEqualTo(Kind.PERMANENT);
  }

  @Test
  void shouldClassifyBatchErrorTypes() {
    assertThat(FailureClassifier.isRetriableErrorType("api_error")).isTrue();
    assertThat(FailureClassifier.isRetriableErrorType("overloaded_error")).isTrue();
    assertThat(FailureClassifier.isRetriableErrorType("invalid_request_error")).isFalse();
    assertThat(FailureClassifier.isRetriableBatchFailure("token_limit_exceeded")).isTrue();
    assertThat(FailureClassifier.isRetriableBatchFailure("invalid_json_line")).isFalse();
  }
}
