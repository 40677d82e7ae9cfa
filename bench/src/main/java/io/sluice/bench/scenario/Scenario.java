package io.sluice.bench.scenario;

import io.sluice.providers.ProviderKind;
import io.sluice.simulator.Profiles;
import java.time.Duration;
import java.util.List;

/**
 * One benchmark run: a simulator profile and model, how the Sluice side is run, and whether the
 * naive baseline runs next to it.
 *
 * @param name the scenario's name in results
 * @param profile the simulator's limit profile
 * @param kind the provider protocol
 * @param model the model every task names
 * @param estimateError the spread of the input-token estimate (0.2 = a factor in [0.8, 1.2])
 * @param killAt when to SIGKILL one of the worker processes, or {@code null}
 * @param withBaseline whether the naive baseline runs too
 */
public record Scenario(
    String name,
    String profile,
    ProviderKind kind,
    String model,
    double estimateError,
    Duration killAt,
    boolean withBaseline) {

  /** The provider's name in topics. */
  public String provider() {
    return kind.configName();
  }

  /** The model's true limits in the simulator profile. */
  public Limits limits() {
    return Limits.of(kind.limitStyle(), Profiles.named(profile).limitsFor(model));
  }

  /** The scenarios by name; {@code killAt} is placed at half of the run. */
  public static List<Scenario> all(Duration duration) {
    Duration half = duration.dividedBy(2);
    return List.of(
        new Scenario(
            "openai-tier1", "openai-tier1", ProviderKind.OPENAI, "gpt-4o-mini", 0, null, true),
        new Scenario(
            "anthropic-tier1",
            "anthropic-tier1",
            ProviderKind.ANTHROPIC,
            "claude-sonnet-4-5",
            0,
            null,
            true),
        new Scenario("large", "large", ProviderKind.OPENAI, "gpt-4o-mini", 0, null, true),
        new Scenario(
            "openai-tier1-estimate-20",
            "openai-tier1",
            ProviderKind.OPENAI,
            "gpt-4o-mini",
            0.2,
            null,
            false),
        new Scenario(
            "openai-tier1-kill",
            "openai-tier1",
            ProviderKind.OPENAI,
            "gpt-4o-mini",
            0,
            half,
            false));
  }
}
