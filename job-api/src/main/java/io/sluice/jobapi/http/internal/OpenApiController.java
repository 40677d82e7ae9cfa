package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.sluice.jobapi.http.JobApiBeans;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}: the API's OpenAPI 3.1 contract, served as written in {@code
 * openapi/sluice-api.yaml} (no key needed). The test suite checks real responses against it.
 */
@Controller
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class OpenApiController {
  static final String DOCUMENT = "openapi/sluice-api.yaml";
  private static final String MEDIA_TYPE = "application/yaml";

  private final byte[] document = read();

  @Get(uri = "/openapi.yaml", produces = MEDIA_TYPE)
  public HttpResponse<byte[]> document() {
    return HttpResponse.ok(document).contentType(MEDIA_TYPE);
  }

  private static byte[] read() {
    try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
