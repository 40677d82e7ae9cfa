package io.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.FailureScope;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy =
      new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.0);

  private static ProviderException retriable(int status, Duration retryAfter) {
    return new ProviderException(
        "openai",
        ProviderException.Kind.RETRIABLE,
        status,
        "server_error",
        "boom",
        retryAfter,
        null,
        null);
  }

  private static ProviderException permanent(int status, String code) {
    return new ProviderException(
        "openai", ProviderException.Kind.PERMANENT, status, code, "bad request", null, null, null);
  }

  @Test
  void shouldGrowTheDelayExponentiallyUpToTheMaximum() {
    assertThat(policy.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(100));
    assertThat(policy.backoff(2, 0.5)).isEqualTo(Duration.ofMillis(200));
    assertThat(policy.backoff(3, 0.5)).isEqualTo(Duration.ofMillis(400));
    assertThat(policy.backoff(10, 0.5)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void shouldSpreadTheDelayByTheJitterShare() {
    RetryPolicy jittered =
        new RetryPolicy(4, Duration.ofMillis(1000), Duration.ofSeconds(60), 2.0, 0.5);

    assertThat(jittered.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(500));
    assertThat(jittered.backoff(1, 0.5)).isEqualTo(Duration.ofMillis(1000));
    assertThat(jittered.backoff(1, 0.999))
        .isBetween(Duration.ofMillis(1490), Duration.ofMillis(1500));
  }

  @Test
  void shouldNeverExceedTheMaximumBackoffEvenWithJitter() {
    RetryPolicy jittered =
        new RetryPolicy(9, Duration.ofMillis(1000), Duration.ofSeconds(5), 3.0, 1.0);

    for (int attempt = 1; attempt < 9; attempt++) {
      for (double random = 0; random < 1; random += 0.1) {
        assertThat(jittered.backoff(attempt, random))
            .isBetween(Duration.ZERO, Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void shouldRetryARetriableFailureBeforeTheLastAttempt() {
    assertThat(policy.afterFailure(1, retriable(503, null), 0.5))
        .isEqualTo(new RetryPolicy.Decision.Retry(Duration.ofMillis(100)));
    assertThat(policy.afterFailure(3, retriable(503, null), 0.5))
        .isEqualTo(new RetryPolicy.Decision.Retry(Duration.ofMillis(400)));
  }

  @Test
  void shouldGiveUpWithTheProvidersErrorWhenAttemptsAreExhausted() {
    RetryPolicy.Decision decision = policy.afterFailure(4, retriable(503, null), 0.5);

    assertThat(decision).isInstanceOf(RetryPolicy.Decision.GiveUp.class);
    ErrorInfo error = ((RetryPolicy.Decision.GiveUp) decision).error();
    assertThat(error.code()).isEqualTo("server_error");
    assertThat(error.message()).contains("boom");
    assertThat(error.retriable()).isTrue();
  }

  @Test
  void shouldNeverRetryAPermanentFailure() {
    RetryPolicy.Decision decision =
        policy.afterFailure(1, permanent(400, "invalid_request_error"), 0.5);

    assertThat(decision)
        .isEqualTo(
            new RetryPolicy.Decision.GiveUp(
                new ErrorInfo(
                    "invalid_request_error",
                    permanent(400, "invalid_request_error").getMessage(),
                    false,
                    FailureScope.REQUEST)));
  }

  @Test
  void shouldWaitAtLeastAsLongAsTheProviderAsked() {
    assertThat(policy.afterFailure(1, retriable(429, Duration.ofSeconds(7)), 0.5))
        .isEqualTo(new RetryPolicy.Decision.Retry(Duration.ofSeconds(7)));
    assertThat(policy.afterFailure(3, retriable(429, Duration.ofMillis(10)), 0.5))
        .isEqualTo(new RetryPolicy.Decision.Retry(Duration.ofMillis(400)));
  }

  @Test
  void shouldUseTheHttpStatusAsCodeWhenTheProviderGaveNone() {
    ProviderException noCode =
        new ProviderException(
            "openai", ProviderException.Kind.PERMANENT, 404, null, "gone", null, null, null);

    RetryPolicy.Decision decision = policy.afterFailure(1, noCode, 0.5);

    assertThat(((RetryPolicy.Decision.GiveUp) decision).error().code()).isEqualTo("http_404");
  }

  @Test
  void shouldRejectANonsensicalPolicy() {
    assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 2, 0))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
        .hasMessageContaining("maxBackoff");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 0.5, 0))
        .hasMessageContaining("backoffMultiplier");
    assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ZERO, 2, 1.5))
        .hasMessageContaining("jitter");
  }
}
