package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.jobapi.dashboard.Dashboard;
import io.sluice.jobapi.dashboard.DashboardSummary;
import io.sluice.jobapi.http.ApiError;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.jobapi.tenant.Authenticator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard: {@code GET /v1/dashboard}, its figures for the caller's key (the same keys as the
 * rest of the API), and {@code GET /ui}, the page that draws them (static files, no key: the page
 * asks for one and sends it with every refresh).
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class DashboardController {
  private static final String NO_STORE = "no-store";

  /** The page's files, by the name under {@code /ui/}. */
  private static final Map<String, Asset> ASSETS =
      Map.of(
          "dashboard.js", Asset.read("ui/dashboard.js", "text/javascript; charset=utf-8"),
          "dashboard.css", Asset.read("ui/dashboard.css", "text/css; charset=utf-8"));

  private static final Asset PAGE = Asset.read("ui/index.html", "text/html; charset=utf-8");

  private final Authenticator authenticator;
  private final Dashboard dashboard;

  public DashboardController(Authenticator authenticator, Dashboard dashboard) {
    this.authenticator = authenticator;
    this.dashboard = dashboard;
  }

  @Get(uri = "/v1/dashboard", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<DashboardSummary> summary(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
    String tenantId = authenticator.tenantOf(authorization);
    return HttpResponse.ok(dashboard.summary(tenantId)).header(HttpHeaders.CACHE_CONTROL, NO_STORE);
  }

  @Get(uri = "/ui")
  public HttpResponse<byte[]> page() {
    return PAGE.response();
  }

  @Get(uri = "/ui/{file}")
  public HttpResponse<?> asset(@PathVariable String file) {
    Asset asset = ASSETS.get(file);
    if (asset == null) {
      return HttpResponse.notFound(ApiError.of("not_found", "the dashboard has no file " + file))
          .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
    return asset.response();
  }

  /** A file of the page, read once from the class path. */
  private record Asset(byte[] content, String contentType) {
    static Asset read(String resource, String contentType) {
      try (InputStream in =
          DashboardController.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is missing from the class path");
        }
        return new Asset(in.readAllBytes(), contentType);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    HttpResponse<byte[]> response() {
      return HttpResponse.ok(content)
          .contentType(contentType)
          .header(HttpHeaders.CACHE_CONTROL, NO_STORE)
          .header("X-Content-Type-Options", "nosniff")
          .header(
              "Content-Security-Policy",
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                  + " frame-ancestors 'none'");
    }
  }
}
