package io.sluice.jobapi.tenant;

import java.time.Instant;
import java.util.Optional;

/**
 * A customer of Sluice: owns jobs and API keys.
 *
 * @param id stable ID, e.g. {@code ten_3f9a...}
 * @param name unique human-readable name
 * @param createdAt when it was created
 * @param disabledAt when an operator disabled it (its keys are refused from then on), or {@code
 *     null}
 * @param requestLimit its own request limit, or {@code null} for job-api's default
 */
public record Tenant(
    String id, String name, Instant createdAt, Instant disabledAt, RequestLimit requestLimit) {

  /** An enabled tenant with the default request limit. */
  public Tenant(String id, String name, Instant createdAt) {
    this(id, name, createdAt, null, null);
  }

  public boolean disabled() {
    return disabledAt != null;
  }

  public Optional<RequestLimit> ownRequestLimit() {
    return Optional.ofNullable(requestLimit);
  }
}
