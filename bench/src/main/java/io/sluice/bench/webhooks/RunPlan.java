package io.sluice.bench.webhooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of the webhook load benchmark's measured runs. The platform keeps speeding up from run
 * to run, so a run with webhooks is only compared with plain runs measured close to it: each repeat
 * is a plain run followed by one run of each kind with webhooks, and a last plain run closes the
 * plan. The kinds change places from one repeat to the next, so that over the repeats each kind
 * runs as often early as late between its plain neighbours and a steady drift evens out.
 */
public final class RunPlan {
  /** The kind of the runs without webhook endpoints. */
  public static final String PLAIN = "none";

  /** The kinds with webhooks and their endpoints, in the order of the first repeat. */
  public static final Map<String, List<String>> KINDS = kinds();

  /**
   * One planned run.
   *
   * @param name unique in the plan: the kind for its first run, then {@code kind-2}, {@code kind-3}
   * @param kind {@link #PLAIN} or one of {@link #KINDS}
   * @param endpoints the endpoints its tenant has (none for a plain run)
   */
  public record Run(String name, String kind, List<String> endpoints) {
    public Run {
      endpoints = List.copyOf(endpoints);
    }
  }

  private RunPlan() {}

  /**
   * {@code repeats} times a plain run and one run of each kind, then a plain run: for two repeats
   * {@code none, fast, slow-down, none-2, slow-down-2, fast-2, none-3}.
   *
   * @throws IllegalArgumentException when {@code repeats} is below 1
   */
  public static List<Run> interleaved(int repeats) {
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be at least 1, got " + repeats);
    }
    List<Run> plan = new ArrayList<>();
    List<String> kinds = new ArrayList<>(KINDS.keySet());
    for (int repeat = 1; repeat <= repeats; repeat++) {
      plan.add(run(PLAIN, repeat, List.of()));
      for (String kind : repeat % 2 == 1 ? kinds : kinds.reversed()) {
        plan.add(run(kind, repeat, KINDS.get(kind)));
      }
    }
    plan.add(run(PLAIN, repeats + 1, List.of()));
    return List.copyOf(plan);
  }

  /** The kind of a run with {@code endpoints}: {@link #PLAIN} without any. */
  public static String kindOf(List<String> endpoints) {
    if (endpoints.isEmpty()) {
      return PLAIN;
    }
    return KINDS.entrySet().stream()
        .filter(kind -> kind.getValue().equals(endpoints))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(String.join("+", endpoints));
  }

  private static Run run(String kind, int number, List<String> endpoints) {
    return new Run(number == 1 ? kind : kind + "-" + number, kind, endpoints);
  }

  private static Map<String, List<String>> kinds() {
    Map<String, List<String>> kinds = new LinkedHashMap<>();
    kinds.put("fast", List.of("fast"));
    kinds.put("slow-down", List.of("slow", "down", "fast"));
    return java.util.Collections.unmodifiableMap(kinds);
  }
}
