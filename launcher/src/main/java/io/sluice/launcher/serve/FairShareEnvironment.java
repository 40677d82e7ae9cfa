package io.sluice.launcher.serve;

import io.sluice.dispatcher.fairness.PacingSettings;
import io.sluice.lane.LaneShares;
import io.sluice.lane.TenantWeights;
import io.sluice.schemas.task.Lane;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Fair shares from the environment (docs/fairness.md): the dispatcher's pacing window and release
 * timeout, the workers' bulk minimum share, and the tenants' weights, which both read.
 */
final class FairShareEnvironment {
  static final String WINDOW = "SLUICE_PACING_WINDOW";
  static final String RELEASE_TIMEOUT = "SLUICE_PACING_RELEASE_TIMEOUT";
  static final String WEIGHTS = "SLUICE_TENANT_WEIGHTS";
  static final String BULK_SHARE = "SLUICE_BULK_MIN_SHARE";
  static final String PACED_LANES = "SLUICE_PACED_LANES";

  private FairShareEnvironment() {}

  /** The dispatcher's pacing of the bulk (and, when asked, standard) lanes. */
  static PacingSettings pacing(Environment env) {
    Set<Lane> lanes =
        env.parsed(
            PACED_LANES,
            PacingSettings.DEFAULT.lanes(),
            FairShareEnvironment::parseLanes,
            "bulk, standard,bulk or none");
    int window = env.integer(WINDOW, PacingSettings.DEFAULT_WINDOW);
    Duration timeout = env.duration(RELEASE_TIMEOUT, PacingSettings.DEFAULT_RELEASE_TIMEOUT);
    TenantWeights weights = weights(env);
    try {
      return PacingSettings.DEFAULT
          .withLanes(lanes)
          .withWindow(window)
          .withReleaseTimeout(timeout)
          .withWeights(weights);
    } catch (IllegalArgumentException e) {
      env.problem(WINDOW + " / " + RELEASE_TIMEOUT + ": " + e.getMessage());
      return PacingSettings.DEFAULT;
    }
  }

  private static Set<Lane> parseLanes(String text) {
    if (text.strip().equalsIgnoreCase("none")) {
      return Set.of();
    }
    Set<Lane> lanes = EnumSet.noneOf(Lane.class);
    for (String name : text.split(",")) {
      switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "bulk" -> lanes.add(Lane.BULK);
        case "standard" -> lanes.add(Lane.STANDARD);
        default -> throw new IllegalArgumentException("not a paced lane: " + name.strip());
      }
    }
    return lanes;
  }

  /** How a worker pool shares its slots between lanes and tenants. */
  static LaneShares laneShares(Environment env) {
    double share =
        env.parsed(
            BULK_SHARE, LaneShares.DEFAULT_BULK_SHARE, Double::parseDouble, "a number like 0.1");
    try {
      return LaneShares.DEFAULT.withBulkShare(share).withWeights(weights(env));
    } catch (IllegalArgumentException e) {
      env.problem(BULK_SHARE + ": " + e.getMessage());
      return LaneShares.DEFAULT;
    }
  }

  /** {@code tenant=weight,tenant=weight}; every other tenant weighs 1. */
  static TenantWeights weights(Environment env) {
    return env.parsed(
        WEIGHTS,
        TenantWeights.EQUAL,
        FairShareEnvironment::parseWeights,
        "a list of tenant=weight (whole numbers of at least 1)");
  }

  private static TenantWeights parseWeights(String text) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      String[] parts = entry.strip().split("=", 2);
      if (parts.length != 2 || parts[0].isBlank()) {
        throw new IllegalArgumentException("not tenant=weight: " + entry);
      }
      weights.put(parts[0].strip(), Integer.parseInt(parts[1].strip()));
    }
    return new TenantWeights(weights, 1);
  }
}
