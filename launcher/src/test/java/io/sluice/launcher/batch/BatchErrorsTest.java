package io.sluice.launcher.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.launcher.client.SluiceClient.ApiException;
import org.junit.jupiter.api.Test;

class BatchErrorsTest {
  @Test
  void shouldSayTheApisMessageAndTheFieldsItNames() {
    String body =
        """
        {"error":{"type":"invalid_request","message":"the file has bad lines",\
        "fields":[{"field":"line 3","message":"not JSON"},\
        {"field":"line 7","message":"duplicate custom_id \\"a\\""}]}}""";

    assertThat(BatchErrors.describe(new ApiException(400, body)))
        .isEqualTo(
            "HTTP 400: the file has bad lines; line 3: not JSON; line 7: duplicate custom_id"
                + " \"a\"");
  }

  @Test
  void shouldSayAnOpenAiStyleErrorWithItsParam() {
    String body = "{\"error\":{\"message\":\"No such File object\",\"param\":\"input_file_id\"}}";

    assertThat(BatchErrors.describe(new ApiException(404, body)))
        .isEqualTo("HTTP 404: No such File object (input_file_id)");
  }

  @Test
  void shouldFallBackToTheRawBodyWhenItIsNotJson() {
    assertThat(BatchErrors.describe(new ApiException(502, "Bad Gateway")))
        .isEqualTo("HTTP 502: Bad Gateway");
  }
}
