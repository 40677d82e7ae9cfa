package io.sluice.jobapi.tenant;

import java.time.Instant;

/**
 * What is stored about an API key: never the key itself.
 *
 * @param id the key's ID
 * @param tenantId the tenant it authenticates as
 * @param displayPrefix its first characters, to recognise it in listings
 * @param createdAt when it was issued or registered
 */
public record ApiKeyInfo(String id, String tenantId, String displayPrefix, Instant createdAt) {}
