package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.jobapi.http.UsageResource;
import io.sluice.jobapi.tenant.Authenticator;
import io.sluice.jobapi.usage.UsageReports;

/** {@code /v1/usage}: the caller's cost ledger. Thin: authenticates and hands over. */
@Controller("/v1/usage")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class UsageController {
  private final Authenticator authenticator;
  private final UsageReports reports;

  public UsageController(Authenticator authenticator, UsageReports reports) {
    this.authenticator = authenticator;
    this.reports = reports;
  }

  /** Usage per UTC day, provider and model (or as {@code group_by} asks) over {@code from..to}. */
  @Get(produces = MediaType.APPLICATION_JSON)
  public UsageResource usage(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, HttpRequest<?> request) {
    String tenantId = authenticator.tenantOf(authorization);
    return UsageResource.of(reports.report(tenantId, request.getParameters().asMap()));
  }
}
