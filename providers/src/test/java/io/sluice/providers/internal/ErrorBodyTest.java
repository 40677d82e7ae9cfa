package io.sluice.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrorBodyTest {
  @Test
  void shouldPreferOpenAiCodeOverType() {
    ErrorBody error =
        ErrorBody.parse(
            429,
            "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\","
                + "\"param\":null,\"code\":\"insufficient_quota\"}}");
    assertThat(error)
        .isEqualTo(new ErrorBody("insufficient_quota", "You exceeded your current quota"));
  }

  @Test
  void shouldFallBackToTypeWhenCodeIsNull() {
    ErrorBody error =
        ErrorBody.parse(
            400,
            "{\"error\":{\"message\":\"bad\",\"type\":\"invalid_request_error\",\"code\":null}}");
    assertThat(error.code()).isEqualTo("invalid_request_error");
  }

  @Test
  void shouldReadAnthropicErrors() {
    ErrorBody error =
        ErrorBody.parse(
            529,
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},"
                + "\"request_id\":\"req_1\"}");
    assertThat(error).isEqualTo(new ErrorBody("overloaded_error", "Overloaded"));
  }

  @Test
  void shouldKeepTheStartOfABodyThatIsNotJson() {
    ErrorBody error = ErrorBody.parse(502, "<html>Bad Gateway</html>");
    assertThat(error).isEqualTo(new ErrorBody("http_502", "<html>Bad Gateway</html>"));
    assertThat(ErrorBody.parse(503, "").code()).isEqualTo("http_503");
    assertThat(ErrorBody.parse(500, "x".repeat(2000)).message()).hasSizeLessThan(510);
  }
}
