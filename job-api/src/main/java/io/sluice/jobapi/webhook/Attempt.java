package io.sluice.jobapi.webhook;

import java.time.Instant;

/**
 * One try at sending a delivery.
 *
 * @param attemptedAt when it ended
 * @param statusCode the HTTP status the endpoint answered, or {@code null} for none
 * @param latencyMs how long it took
 * @param error why it failed, or {@code null} for a 2xx
 */
public record Attempt(Instant attemptedAt, Integer statusCode, long latencyMs, String error) {}
