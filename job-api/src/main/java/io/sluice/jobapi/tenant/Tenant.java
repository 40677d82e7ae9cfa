package io.sluice.jobapi.tenant;

import java.time.Instant;

/**
 * A customer of Sluice: owns jobs and API keys.
 *
 * @param id stable ID, e.g. {@code ten_3f9a...}
 * @param name unique human-readable name
 * @param createdAt when it was created
 */
public record Tenant(String id, String name, Instant createdAt) {}
