package io.sluice.bench.scenario;

import io.sluice.providers.ProviderKind;
import io.sluice.simulator.Enforcement;
import io.sluice.simulator.Profiles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param enforcement how the simulator enforces the limits (issue 15's variants; {@link
 *     Enforcement#EXACT}: as Sluice's limiter models them)
 * @param latencySigma the log-normal spread of the simulator's latency (variant e; 0: none)
 */
public record Scenario(
    String name,
    String profile,
    ProviderKind kind,
    String model,
    double estimateError,
    Duration killAt,
    boolean withBaseline,
    Enforcement enforcement,
    double latencySigma) {

  /**
   * The enforcement variants of issue 15 as scenario suffixes: {@code openai-tier1-<suffix>} and
   * {@code anthropic-tier1-<suffix>}, each with the naive baseline. Not among the default
   * scenarios: name them with {@code --scenarios}.
   */
  public static final Map<String, String> VARIANTS = variantSpecs();

  /** The latency spread of the {@code latency-spread} variant. */
  public static final double LATENCY_SIGMA = 1.0;

  /** A scenario the simulator enforces exactly, without latency spread. */
  public Scenario(
      String name,
      String profile,
      ProviderKind kind,
      String model,
      double estimateError,
      Duration killAt,
      boolean withBaseline) {
    this(name, profile, kind, model, estimateError, killAt, withBaseline, Enforcement.EXACT, 0);
  }

  /** The share of the account another client uses (variant g), 0 without one. */
  public double otherClientShare() {
    return enforcement.otherClientShare();
  }

  /** The provider's name in topics. */
  public String provider() {
    return kind.configName();
  }

  /** The model's true limits in the simulator profile. */
  public Limits limits() {
    return Limits.of(kind.limitStyle(), Profiles.named(profile).limitsFor(model));
  }

  /** Every scenario: the default ones and the enforcement variants. */
  public static List<Scenario> all(Duration duration) {
    List<Scenario> all = new ArrayList<>(defaults(duration));
    all.addAll(variants());
    return List.copyOf(all);
  }

  /** The names of the enforcement-variant scenarios, OpenAI's then Anthropic's. */
  public static List<String> variantNames() {
    return variants().stream().map(Scenario::name).toList();
  }

  /** {@code openai-tier1} and {@code anthropic-tier1} under each variant of {@link #VARIANTS}. */
  public static List<Scenario> variants() {
    List<Scenario> variants = new ArrayList<>();
    for (Scenario base : List.of(openAiTier1(), anthropicTier1())) {
      VARIANTS.forEach(
          (suffix, spec) ->
              variants.add(
                  new Scenario(
                      base.name() + "-" + suffix,
                      base.profile(),
                      base.kind(),
                      base.model(),
                      0,
                      null,
                      true,
                      Enforcement.parse(spec),
                      suffix.equals("latency-spread") ? LATENCY_SIGMA : 0)));
    }
    return variants;
  }

  /** Suffix → {@link Enforcement#parse} spec, in the order of issue 15's list (a)–(g). */
  private static Map<String, String> variantSpecs() {
    Map<String, String> specs = new LinkedHashMap<>();
    specs.put("provider-counting", "provider-counting"); // (a)
    specs.put("short-window", "window=10s"); // (b)
    specs.put("per-second", "window=1s"); // (b)
    specs.put("fixed-window", "fixed-window"); // (c)
    specs.put("charge-refused", "charge-refused"); // (d)
    specs.put("latency-spread", ""); // (e): LATENCY_SIGMA
    specs.put("long-outputs", "output-share=0.3-1.2"); // (f)
    specs.put("other-client-30", "other-client=0.3"); // (g)
    return Collections.unmodifiableMap(specs);
  }

  private static Scenario openAiTier1() {
    return new Scenario(
        "openai-tier1", "openai-tier1", ProviderKind.OPENAI, "gpt-4o-mini", 0, null, true);
  }

  private static Scenario anthropicTier1() {
    return new Scenario(
        "anthropic-tier1",
        "anthropic-tier1",
        ProviderKind.ANTHROPIC,
        "claude-sonnet-4-5",
        0,
        null,
        true);
  }

  /** The default scenarios; {@code killAt} is placed at half of the run. */
  public static List<Scenario> defaults(Duration duration) {
    Duration half = duration.dividedBy(2);
    return List.of(
        openAiTier1(),
        anthropicTier1(),
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
