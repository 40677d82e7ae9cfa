package io.sluice.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.measure.LimitUse;
import io.sluice.bench.measure.RunFigures;
import io.sluice.bench.measure.WindowFigures;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The results as Markdown tables, for docs/benchmarks.md. */
public final class MarkdownTables {
  private MarkdownTables() {}

  /** One table row per side of every scenario. */
  public static String render(List<Map<String, Object>> scenarios) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| scenario | side | binding limit | share of binding | every limit | 429 total | 429 after warm-up | tasks done | useful tokens/min | limiter wait p50 / p99 (ms) |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> scenario : scenarios) {
      row(out, scenario, "sluice");
      row(out, scenario, "baseline");
      if (scenario.get("useful_throughput_ratio") instanceof Double ratio) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | **ratio** | | | | | | | **%.2f×** | |%n",
                scenario.get("scenario"),
                ratio));
      }
    }
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static void row(StringBuilder out, Map<String, Object> scenario, String sideName) {
    if (!(scenario.get(sideName) instanceof Map<?, ?> raw)) {
      return;
    }
    Map<String, Object> side = (Map<String, Object>) raw;
    RunFigures figures = (RunFigures) side.get("figures");
    WindowFigures steady = figures.steady();
    out.append(
        String.format(
            Locale.ROOT,
            "| %s | %s | %s | %.2f%% | %s | %d | %d | %s | %,.0f | %s |%n",
            scenario.get("scenario"),
            sideName,
            steady.binding(),
            100 * steady.bindingShare(),
            uses(steady.uses()),
            figures.rateLimitedTotal(),
            figures.rateLimitedAfterWarmUp(),
            side.get("tasks_succeeded"),
            steady.usefulTokensPerMinute(),
            waits(side)));
  }

  private static String uses(List<LimitUse> uses) {
    return uses.stream()
        .map(
            u ->
                String.format(
                    Locale.ROOT,
                    "%s %,.0f/%,d (%.1f%%)",
                    u.limit(),
                    u.perMinute(),
                    u.limitPerMinute(),
                    100 * u.share()))
        .collect(Collectors.joining("<br>"));
  }

  @SuppressWarnings("unchecked")
  private static String waits(Map<String, Object> side) {
    if (!(side.get("workers") instanceof List<?> workers)) {
      return "";
    }
    return ((List<JsonNode>) workers)
        .stream()
            .filter(node -> node != null && node.has("limiter_wait_p50_ms"))
            .map(
                node ->
                    String.format(
                        Locale.ROOT,
                        "%.0f / %.0f",
                        node.get("limiter_wait_p50_ms").asDouble(),
                        node.get("limiter_wait_p99_ms").asDouble()))
            .collect(Collectors.joining("<br>"));
  }
}
