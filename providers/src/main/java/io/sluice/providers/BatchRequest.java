package io.sluice.providers;

import io.sluice.schemas.job.CompletionSpec;
import java.util.Objects;

/**
 * One line of a provider batch.
 *
 * @param customId the caller's ID for this line, unique within the batch; results come back under
 *     it (Sluice uses the task ID). Anthropic accepts only {@code [A-Za-z0-9_-]{1,64}}.
 * @param spec the call, with the provider's own model name
 */
public record BatchRequest(String customId, CompletionSpec spec) {
  public BatchRequest {
    Objects.requireNonNull(customId, "customId");
    Objects.requireNonNull(spec, "spec");
  }
}
