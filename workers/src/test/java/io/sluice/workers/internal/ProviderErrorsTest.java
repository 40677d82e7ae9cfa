package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.FailureScope;
import org.junit.jupiter.api.Test;

class ProviderErrorsTest {

  private static ProviderException failure(
      ProviderException.Kind kind, int status, String code, String message) {
    return new ProviderException("openai", kind, status, code, message, null, null, null);
  }

  private static FailureScope permanent(int status, String code, String message) {
    return ProviderErrors.scopeOf(failure(ProviderException.Kind.PERMANENT, status, code, message));
  }

  @Test
  void shouldLetEveryRetriableFailureFallBackOnceRetriesAreExhausted() {
    for (int status : new int[] {0, 408, 429, 500, 502, 503, 529}) {
      assertThat(
              ProviderErrors.scopeOf(
                  failure(ProviderException.Kind.RETRIABLE, status, "server_error", "boom")))
          .as("HTTP %s", status)
          .isEqualTo(FailureScope.PROVIDER);
    }
  }

  @Test
  void shouldNeverLetAClientErrorFallBack() {
    assertThat(permanent(400, "invalid_request_error", "temperature: must be at most 2"))
        .isEqualTo(FailureScope.REQUEST);
    assertThat(permanent(422, null, "unprocessable")).isEqualTo(FailureScope.REQUEST);
    assertThat(permanent(0, "invalid_request", "the call names no model"))
        .isEqualTo(FailureScope.REQUEST);
  }

  @Test
  void shouldRecogniseAPromptTooLongForTheModel() {
    assertThat(permanent(400, "context_length_exceeded", "This model's maximum context length is"))
        .isEqualTo(FailureScope.CONTEXT);
    assertThat(
            permanent(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000"))
        .isEqualTo(FailureScope.CONTEXT);
    assertThat(
            permanent(
                400,
                "INVALID_ARGUMENT",
                "The input token count (1200000) exceeds the maximum number of tokens allowed"))
        .isEqualTo(FailureScope.CONTEXT);
  }

  @Test
  void shouldSeeAnUnavailableModelOrARefusingAccountAsThisProvidersProblem() {
    assertThat(permanent(404, "model_not_found", "no such model")).isEqualTo(FailureScope.MODEL);
    assertThat(permanent(401, "invalid_api_key", "bad key")).isEqualTo(FailureScope.PROVIDER);
    assertThat(permanent(403, "permission_denied", "no")).isEqualTo(FailureScope.PROVIDER);
    assertThat(permanent(429, "insufficient_quota", "no credit")).isEqualTo(FailureScope.PROVIDER);
  }

  @Test
  void shouldLeaveOtherFailuresUnclassified() {
    assertThat(permanent(200, "refusal", "I can't help with that")).isNull();
    assertThat(permanent(0, "batch_rejected", "rejected")).isNull();
    assertThat(permanent(302, null, "redirect")).isNull();
  }

  @Test
  void shouldCarryTheScopeOnTheErrorAndOnACircuitOpenRefusal() {
    var error =
        ProviderErrors.toErrorInfo(
            failure(ProviderException.Kind.PERMANENT, 404, "model_not_found", "gone"));
    assertThat(error.code()).isEqualTo("model_not_found");
    assertThat(error.scope()).isEqualTo(FailureScope.MODEL);
    assertThat(ProviderErrors.circuitOpen("anthropic").scope()).isEqualTo(FailureScope.PROVIDER);
    assertThat(ProviderErrors.circuitOpen("anthropic").message()).startsWith("anthropic's");
  }
}
