package io.sluice.simulator;

import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link Simulator} needs. Build with {@link #builder()}; every setting has a default.
 *
 * @param host the address to bind (default {@code 127.0.0.1})
 * @param port the port, 0 for a free one (default 0)
 * @param profile rate limits per model and batch limits (default {@code unlimited}: none)
 * @param clock time for rate limits, the meter, outage windows and batches (default UTC system)
 * @param latency added response time (default {@link LatencySettings#DEFAULT})
 * @param faults random faults and outage (default {@link FaultSettings#NONE})
 * @param batches batch behaviour (default {@link BatchSettings#DEFAULT})
 * @param models model names accepted exactly (default: the provider models of {@link
 *     ModelCatalog#defaults()})
 * @param modelPrefixes models starting with one of these are accepted too (default {@code gpt-},
 *     {@code o1}, {@code o3}, {@code o4}, {@code claude-}, {@code gemini-}); empty to accept only
 *     {@code models}
 * @param apiKey the only API key accepted, or {@code null} to accept any non-blank key
 */
public record SimulatorConfig(
    String host,
    int port,
    Profile profile,
    Clock clock,
    LatencySettings latency,
    FaultSettings faults,
    BatchSettings batches,
    Set<String> models,
    List<String> modelPrefixes,
    String apiKey) {

  public SimulatorConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(faults, "faults");
    Objects.requireNonNull(batches, "batches");
    models = Set.copyOf(models);
    modelPrefixes = List.copyOf(modelPrefixes);
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: a free port on 127.0.0.1, the {@code unlimited} profile, small latency. */
  public static SimulatorConfig defaults() {
    return builder().build();
  }

  /** Whether the simulator serves this model. */
  public boolean acceptsModel(String model) {
    return model != null
        && (models.contains(model) || modelPrefixes.stream().anyMatch(model::startsWith));
  }

  /** Collects settings; {@link #build()} validates them. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 0;
    private Profile profile = Profiles.named("unlimited");
    private Clock clock = Clock.systemUTC();
    private LatencySettings latency = LatencySettings.DEFAULT;
    private FaultSettings faults = FaultSettings.NONE;
    private BatchSettings batches = BatchSettings.DEFAULT;
    private Set<String> models = defaultModels();
    private List<String> modelPrefixes = List.of("gpt-", "o1", "o3", "o4", "claude-", "gemini-");
    private String apiKey;

    private Builder() {}

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    /** A built-in profile by name: see {@link Profiles}. */
    public Builder profile(String name) {
      this.profile = Profiles.named(name);
      return this;
    }

    public Builder profile(Profile value) {
      this.profile = value;
      return this;
    }

    /** Overrides one model's limits in the profile chosen so far. */
    public Builder limits(String model, ModelLimits limits) {
      this.profile = profile.withModel(model, limits);
      return this;
    }

    /** Sets the enforcement of the profile chosen so far (see {@link Enforcement}). */
    public Builder enforcement(Enforcement value) {
      this.profile = profile.withEnforcement(value);
      return this;
    }

    /** Sets the batch limits of the profile chosen so far (see {@link BatchQueueLimits}). */
    public Builder batchLimits(BatchQueueLimits limits) {
      this.profile = profile.withBatchLimits(limits);
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public Builder latency(LatencySettings value) {
      this.latency = value;
      return this;
    }

    public Builder faults(FaultSettings value) {
      this.faults = value;
      return this;
    }

    public Builder batches(BatchSettings value) {
      this.batches = value;
      return this;
    }

    public Builder models(Set<String> value) {
      this.models = value;
      return this;
    }

    public Builder modelPrefixes(List<String> value) {
      this.modelPrefixes = value;
      return this;
    }

    public Builder apiKey(String value) {
      this.apiKey = value;
      return this;
    }

    public SimulatorConfig build() {
      return new SimulatorConfig(
          host, port, profile, clock, latency, faults, batches, models, modelPrefixes, apiKey);
    }

    private static Set<String> defaultModels() {
      ModelCatalog catalog = ModelCatalog.defaults();
      Set<String> names = new LinkedHashSet<>();
      for (String name : catalog.names()) {
        catalog.resolve(name).map(ModelRoute::providerModel).ifPresent(names::add);
      }
      return names;
    }
  }
}
