package io.sluice.jobapi.job;

/**
 * One thing wrong with a request.
 *
 * @param field where, as a JSON path into the body ({@code messages[0].role}), a header name
 *     ({@code Idempotency-Key}) or {@code body} for the body as a whole
 * @param message what is wrong, in words a client can act on
 */
public record FieldError(String field, String message) {}
