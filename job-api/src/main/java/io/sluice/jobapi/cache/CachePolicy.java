package io.sluice.jobapi.cache;

import io.sluice.jobapi.idempotency.RequestFingerprint;
import io.sluice.jobapi.job.CacheKey;
import io.sluice.jobapi.job.JobRequest;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import java.util.Optional;

/**
 * Which jobs the result cache answers and keeps, and under which key. Pure: the cache's one rule.
 *
 * <ul>
 *   <li>Only completion jobs; a map-reduce job's many calls are not cached as one answer.
 *   <li>{@code cache: false} keeps a job out: it is neither answered from the cache nor kept.
 *   <li>Only deterministic requests: temperature 0, or no temperature with {@code cache: true} (the
 *       provider's default temperature samples, so the client opts in). The parser refuses {@code
 *       cache: true} with a temperature above 0.
 *   <li>The key is the SHA-256 of the call as the provider receives it: the provider and its model
 *       name (an alias and the model it names share answers), messages, {@code max_tokens},
 *       temperature, {@code response_schema} and {@code max_repairs}, in a canonical JSON form.
 *       Metadata, priority, mode, deadline and webhook do not change an answer and are left out.
 *   <li>Answers are kept per tenant: the key is only ever looked up with the tenant's ID.
 * </ul>
 */
public final class CachePolicy {
  // Part of every key: a change to what the key covers changes this, and old answers stop matching.
  private static final int KEY_VERSION = 1;

  private final ModelCatalog models;

  public CachePolicy(ModelCatalog models) {
    this.models = models;
  }

  /** The key of {@code request}, or empty when its answer is neither looked up nor kept. */
  public Optional<CacheKey> keyOf(JobRequest request) {
    if (request.type() != JobType.COMPLETION || Boolean.FALSE.equals(request.cache())) {
      return Optional.empty();
    }
    CompletionSpec call = request.completion();
    Double temperature = call.temperature();
    boolean deterministic =
        temperature == null ? Boolean.TRUE.equals(request.cache()) : temperature == 0.0;
    if (!deterministic) {
      return Optional.empty();
    }
    Optional<ModelRoute> route = models.resolve(call.model());
    if (route.isEmpty()) {
      return Optional.empty();
    }
    KeyedCall keyed =
        new KeyedCall(
            KEY_VERSION, route.get().provider(), call.withModel(route.get().providerModel()));
    return Optional.of(CacheKey.ofHex(RequestFingerprint.of(keyed)));
  }

  /** What a key covers, written as canonical JSON before it is hashed. */
  private record KeyedCall(int version, String provider, CompletionSpec call) {}
}
