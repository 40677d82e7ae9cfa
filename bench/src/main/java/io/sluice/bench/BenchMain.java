package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.bench.intake.IntakeSummary;
import io.sluice.bench.measure.RunFigures;
import io.sluice.bench.measure.WaitBySize;
import io.sluice.bench.measure.WindowFigures;
import io.sluice.bench.report.Machine;
import io.sluice.bench.report.MarkdownTables;
import io.sluice.bench.scenario.Scenario;
import io.sluice.bench.webhooks.LoadRun;
import io.sluice.bench.webhooks.LoadSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The whole-system benchmarks: for each saturation scenario, worker processes sharing one rate
 * limit against the simulator, then the naive baseline; the deferred lane's nightly run ({@link
 * NightlyRunner}); writes {@code <out>/<timestamp>.json} and {@code <out>/latest.json} after every
 * scenario and prints a summary.
 */
public final class BenchMain {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .findAndRegisterModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    Files.createDirectories(options.outDir());
    Path logDir = Files.createDirectories(options.outDir().resolve("logs").resolve(stamp));
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("started_at", Instant.now().toString());
    report.put("command", "bench/run " + String.join(" ", args));
    report.put("machine", Machine.current());
    report.put("options", options);
    List<Map<String, Object>> results = new ArrayList<>();
    report.put("scenarios", results);
    Map<String, Scenario> byName =
        Scenario.all(options.duration()).stream().collect(Collectors.toMap(Scenario::name, s -> s));
    // the intake scenario measures a sluice local of its own: no servers in this JVM for it
    boolean needsInfrastructure =
        options.scenarios().stream()
            .anyMatch(
                name ->
                    !BenchOptions.INTAKE.equals(name)
                        && !BenchOptions.WAITERS.equals(name)
                        && !BenchOptions.BULK_INTAKE.equals(name)
                        && !BenchOptions.BULK_RUN.equals(name)
                        && !BenchOptions.MAPREDUCE.equals(name));
    try (Infrastructure infrastructure = needsInfrastructure ? Infrastructure.start() : null) {
      ScenarioRunner runner =
          new ScenarioRunner(options, infrastructure, logDir, stamp.replace("-", ""));
      for (String name : options.scenarios()) {
        String run = stamp.replace("-", "");
        Map<String, Object> result =
            switch (name) {
              case BenchOptions.NIGHTLY ->
                  new NightlyRunner(options, infrastructure, logDir, run).run();
              case BenchOptions.WEBHOOKS ->
                  new WebhooksLoadRunner(options, infrastructure, run).run();
              case BenchOptions.INTAKE -> new IntakeRunner(options.intake(), logDir).run();
              case BenchOptions.WAITERS ->
                  new WaitersRunner(options.nightly().jobs(), logDir).run();
              case BenchOptions.BULK_INTAKE, BenchOptions.BULK_RUN -> {
                boolean toTheEnd = BenchOptions.BULK_RUN.equals(name);
                String ownWindow = toTheEnd ? "1h" : "24h";
                yield new BulkIntakeRunner(
                        options.nightly().jobs(),
                        options.platformHeap(),
                        options.window() == null ? ownWindow : options.window(),
                        toTheEnd,
                        options.nightly().timeout(),
                        logDir)
                    .run();
              }
              case BenchOptions.MAPREDUCE ->
                  new MapReduceRunner(MapReduceRunner.PROFILE, options.nightly().timeout(), logDir)
                      .run();
              default -> runner.run(byName.get(name));
            };
        results.add(result);
        report.put("finished_at", Instant.now().toString());
        write(report, options.outDir(), stamp);
        System.out.println(
            switch (name) {
              case BenchOptions.NIGHTLY -> NightlySummary.of(result);
              case BenchOptions.WEBHOOKS -> LoadSummary.of(webhookRuns(result));
              case BenchOptions.INTAKE -> IntakeSummary.of(result);
              case BenchOptions.WAITERS,
                  BenchOptions.BULK_INTAKE,
                  BenchOptions.BULK_RUN,
                  BenchOptions.MAPREDUCE ->
                  name + ": see the line above";
              default -> summary(result);
            });
      }
    }
    System.out.println("results: " + options.outDir().resolve(stamp + ".json"));
    System.exit(0);
  }

  @SuppressWarnings("unchecked")
  private static List<LoadRun> webhookRuns(Map<String, Object> result) {
    return (List<LoadRun>) result.get("runs");
  }

  private static void write(Map<String, Object> report, Path dir, String stamp) throws IOException {
    String json = JSON.writeValueAsString(report);
    Files.writeString(dir.resolve(stamp + ".json"), json);
    Files.writeString(dir.resolve("latest.json"), json);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> scenarios = (List<Map<String, Object>>) report.get("scenarios");
    if (scenarios.stream().anyMatch(scenario -> scenario.containsKey("sluice"))) {
      Files.writeString(dir.resolve(stamp + ".md"), MarkdownTables.render(scenarios));
    }
  }

  static String summary(Map<String, Object> result) {
    StringBuilder out = new StringBuilder();
    out.append("== ").append(result.get("scenario")).append('\n');
    out.append(side("sluice  ", result.get("sluice")));
    out.append(wholeWindows("sluice  ", result.get("sluice")));
    out.append(leftByOtherClient(result));
    out.append(waitBySize(result.get("sluice")));
    if (result.containsKey("baseline")) {
      out.append(side("baseline", result.get("baseline")));
      out.append(wholeWindows("baseline", result.get("baseline")));
      out.append(
          String.format(
              Locale.ROOT,
              "  useful throughput ratio sluice/baseline: %.2f%n",
              (Double) result.get("useful_throughput_ratio")));
    }
    return out.toString();
  }

  /** Limiter wait p50 / p99 by prompt size, and the p99 against the prompt's own size. */
  @SuppressWarnings("unchecked")
  static String waitBySize(Object sideObject) {
    if (!(((Map<String, Object>) sideObject).get("wait_by_prompt_size") instanceof List<?> list)
        || list.isEmpty()) {
      return "";
    }
    return list.stream()
        .map(WaitBySize.Bucket.class::cast)
        .map(
            b ->
                String.format(
                    Locale.ROOT,
                    "%s: %d, %.1f / %.1f s (%.1fx own %.1f s)",
                    b.label(),
                    b.count(),
                    b.p50Seconds(),
                    b.p99Seconds(),
                    b.p99OverOwnSize(),
                    b.ownSizeSeconds()))
        .collect(Collectors.joining("; ", "  limiter wait by prompt tokens, n, p50 / p99: ", "\n"));
  }

  /**
   * With another client on the account (variant g), the binding share over what that client leaves
   * ({@code share / (1 - other)}): issue 15's criterion is ≥ 95% of it.
   */
  @SuppressWarnings("unchecked")
  static String leftByOtherClient(Map<String, Object> result) {
    Object other = result.get("other_client_share");
    if (!(other instanceof Double share) || share <= 0) {
      return "";
    }
    Map<String, Object> sluice = (Map<String, Object>) result.get("sluice");
    WindowFigures steady = ((RunFigures) sluice.get("figures")).steady();
    return String.format(
        Locale.ROOT,
        "  another client uses %.0f%% of the account: sluice's binding share of the rest %.2f%%%n",
        100 * share,
        100 * steady.bindingShare() / (1 - share));
  }

  /**
   * Under a fixed-window provider (variant c), the binding share over its whole windows: over the
   * steady window's span such a provider allows more or less than its limit's rate.
   */
  @SuppressWarnings("unchecked")
  static String wholeWindows(String label, Object sideObject) {
    Map<String, Object> side = (Map<String, Object>) sideObject;
    if (!(side.get("whole_windows") instanceof WindowFigures windows)) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "  %s over the provider's whole windows (%.0f s → %.0f s): binding %s %.2f%%%n",
        label,
        windows.fromSeconds(),
        windows.toSeconds(),
        windows.binding(),
        100 * windows.bindingShare());
  }

  @SuppressWarnings("unchecked")
  private static String side(String label, Object sideObject) {
    Map<String, Object> side = (Map<String, Object>) sideObject;
    RunFigures figures = (RunFigures) side.get("figures");
    WindowFigures steady = figures.steady();
    String uses =
        steady.uses().stream()
            .map(u -> String.format(Locale.ROOT, "%s %.1f%%", u.limit(), 100 * u.share()))
            .collect(Collectors.joining(", "));
    return String.format(
        Locale.ROOT,
        "  %s binding %s %.2f%% (%s); 429s total %d, after warm-up %d, after 60 s %.2f%% of"
            + " calls; tasks %s; useful tok/min %.0f%n",
        label,
        steady.binding(),
        100 * steady.bindingShare(),
        uses,
        figures.rateLimitedTotal(),
        figures.rateLimitedAfterWarmUp(),
        100 * figures.rateLimitedShareAfterFirstMinute(),
        side.get("tasks_succeeded"),
        steady.usefulTokensPerMinute());
  }
}
