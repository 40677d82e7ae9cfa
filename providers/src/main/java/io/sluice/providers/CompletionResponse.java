package io.sluice.providers;

import io.sluice.schemas.job.TokenUsage;

/**
 * A successful model call.
 *
 * @param output the generated text
 * @param usage tokens as the provider counted them
 * @param model the model that answered, as the provider reports it
 * @param rateLimits the rate-limit state the response's headers reported
 * @param requestId the provider's request ID, for support cases; may be {@code null}
 */
public record CompletionResponse(
    String output,
    TokenUsage usage,
    String model,
    RateLimitSnapshot rateLimits,
    String requestId) {}
