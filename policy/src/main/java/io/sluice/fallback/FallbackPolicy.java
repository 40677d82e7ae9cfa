package io.sluice.fallback;

import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.FailureScope;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Fallback chains as a pure policy: which models a job may try ({@link #chainOf}) and, when the
 * entry it is on fails, which entry comes next ({@link #next}).
 *
 * <ul>
 *   <li>A job's chain is its model, then its own {@code fallback} list if it gave one (an empty
 *       list: no fallback), else the deployment's chain of its model; an entry that repeats an
 *       earlier provider model, or that the catalogue no longer knows, is left out.
 *   <li>A failure moves on only when the worker classified it as not reaching other providers: a
 *       {@link FailureScope#PROVIDER provider} failure (retries exhausted, circuit open, account
 *       refused) goes to the next entry on <em>another provider</em>; a {@link FailureScope#MODEL
 *       model} failure (model unavailable) to the next entry; a {@link FailureScope#CONTEXT
 *       context} failure (prompt too long) to the next entry with a larger known context window.
 *   <li>A {@link FailureScope#REQUEST request} failure (400, 422: it would fail everywhere), an
 *       unclassified one, and any failure on the last entry end the job.
 * </ul>
 */
public final class FallbackPolicy {
  private final ModelCatalog catalog;
  private final FallbackChains deployment;
  private final Map<String, Long> contextWindows;

  /**
   * @param catalog the models the dispatcher routes
   * @param deployment the deployment's chains
   * @param contextWindows provider model → its context window in tokens (for context failures;
   *     models not listed never count as larger)
   */
  public FallbackPolicy(
      ModelCatalog catalog, FallbackChains deployment, Map<String, Long> contextWindows) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.deployment = Objects.requireNonNull(deployment, "deployment");
    this.contextWindows = Map.copyOf(contextWindows);
  }

  /** A policy without chains: every job's chain is its model alone. */
  public static FallbackPolicy none(ModelCatalog catalog) {
    return new FallbackPolicy(catalog, FallbackChains.NONE, Map.of());
  }

  /**
   * The chain of a job whose model resolved to {@code primary}: {@code primary} first.
   *
   * @param model the model name or alias as the job gave it
   * @param jobFallback the job's own chain, empty for none, or {@code null} for the deployment's
   */
  public List<ModelRoute> chainOf(String model, ModelRoute primary, List<String> jobFallback) {
    List<String> names =
        jobFallback != null
            ? jobFallback
            : deployment
                .after(model)
                .or(() -> deployment.after(primary.providerModel()))
                .orElse(List.of());
    List<ModelRoute> chain = new ArrayList<>();
    chain.add(primary);
    for (String name : names) {
      Optional<ModelRoute> route = catalog.resolve(name);
      if (route.isPresent() && chain.stream().noneMatch(r -> sameModel(r, route.get()))) {
        chain.add(route.get());
      }
    }
    return List.copyOf(chain);
  }

  /**
   * The index of the entry to try after entry {@code current} of {@code chain} failed with {@code
   * error}, or empty when the job ends with that failure.
   */
  public OptionalInt next(List<ModelRoute> chain, int current, ErrorInfo error) {
    if (error == null || error.scope() == null || current < 0 || current >= chain.size()) {
      return OptionalInt.empty();
    }
    ModelRoute failed = chain.get(current);
    for (int i = current + 1; i < chain.size(); i++) {
      ModelRoute candidate = chain.get(i);
      boolean fits =
          switch (error.scope()) {
            case REQUEST -> false;
            case PROVIDER -> !candidate.provider().equals(failed.provider());
            case MODEL -> !sameModel(candidate, failed);
            case CONTEXT -> largerContext(candidate, failed);
          };
      if (fits) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  /** Whether some entry after {@code current} could still be tried after some failure. */
  public static boolean hasNext(List<ModelRoute> chain, int current) {
    return current + 1 < chain.size();
  }

  private boolean largerContext(ModelRoute candidate, ModelRoute failed) {
    Long larger = contextWindows.get(candidate.providerModel());
    Long smaller = contextWindows.get(failed.providerModel());
    return larger != null && smaller != null && larger > smaller;
  }

  private static boolean sameModel(ModelRoute a, ModelRoute b) {
    return a.provider().equals(b.provider()) && a.providerModel().equals(b.providerModel());
  }
}
