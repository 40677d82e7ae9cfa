package io.sluice.simulator;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator standalone until the process is stopped. {@code sluice simulator} delegates
 * here. Options (all optional):
 *
 * <pre>
 * --port P                    port (default 8089; 0 picks a free one)
 * --host H                    address to bind (default 127.0.0.1)
 * --profile NAME              unlimited | openai-tier1 | anthropic-tier1 | gemini-tier1 | tier1 | large
 *                             (rate limits and batch limits)
 * --latency-base-ms MS        base latency per call (default 1)
 * --latency-per-token-ms MS   latency per output token, may be fractional (default 0.02)
 * --latency-sigma S           log-normal spread of the latency (default 0: none)
 * --enforcement SPEC          enforcement variants, e.g. window=10s,other-client=0.3 (default exact;
 *                             see {@link Enforcement#parse})
 * --server-error-share F      share of calls answered 500 (0..1)
 * --overloaded-share F        share answered 503 (OpenAI, Gemini) / 529 (Anthropic)
 * --hang-share F --hang-ms MS share of calls that hang, and for how long (default 30000)
 * --malformed-share F         share answered with invalid JSON
 * --truncated-share F         share with a body cut short
 * --reset-share F             share whose connection is closed without a response
 * --seed N                    seed of the random faults
 * --batch-processing-ms MS    time a batch takes once validated (default 1000); with
 *                             --batch-processing-max-ms, the shortest a batch can draw
 * --batch-processing-max-ms MS the longest processing time a batch can draw (default: the same)
 * --batch-line-skew K         how unevenly lines finish in a batch (default 1: evenly)
 * --batch-error-share F       share of batch lines that fail
 * --batch-window-ms MS        completion window after which batches expire (default 24 h)
 * --api-key KEY               accept only this key (default: any non-blank key)
 * </pre>
 */
public final class SimulatorMain {
  /** The port used when {@code --port} is not given. */
  public static final int DEFAULT_PORT = 8089;

  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    SimulatorConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("sluice simulator: " + e.getMessage());
      usage(System.err);
      System.exit(2);
      return;
    }
    if (config == null) {
      usage(System.out);
      return;
    }
    Simulator simulator = Simulator.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                }));
    System.out.println(
        "Sluice simulator listening on "
            + simulator.baseUrl()
            + " (profile "
            + config.profile().name()
            + "); meter at "
            + simulator.baseUrl()
            + "/_sim/meter");
    stopped.await();
  }

  /** Reads the options; {@code null} when help was asked for. */
  public static SimulatorConfig parse(String[] args) {
    Map<String, String> options = options(args);
    if (options.containsKey("help")) {
      return null;
    }
    SimulatorConfig.Builder builder =
        SimulatorConfig.builder()
            .port(intOption(options, "port", DEFAULT_PORT))
            .host(options.getOrDefault("host", "127.0.0.1"))
            .profile(options.getOrDefault("profile", "unlimited"))
            .enforcement(Enforcement.parse(options.getOrDefault("enforcement", "")))
            .latency(latency(options))
            .faults(faults(options))
            .batches(batches(options));
    if (options.containsKey("api-key")) {
      builder.apiKey(options.get("api-key"));
    }
    return builder.build();
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty()) {
      String arg = rest.removeFirst();
      if (arg.equals("--help") || arg.equals("-h")) {
        options.put("help", "");
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        options.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (rest.isEmpty()) {
        throw new IllegalArgumentException("option --" + name + " needs a value");
      } else {
        options.put(name, rest.removeFirst());
      }
    }
    return options;
  }

  private static LatencySettings latency(Map<String, String> options) {
    LatencySettings defaults = LatencySettings.DEFAULT;
    Duration base = millis(options, "latency-base-ms", defaults.base().toNanos() / 1_000_000.0);
    Duration perToken =
        millis(options, "latency-per-token-ms", defaults.perOutputToken().toNanos() / 1_000_000.0);
    return new LatencySettings(base, perToken)
        .withSpread(number(options, "latency-sigma", 0))
        .withSeed(intOption(options, "seed", 42));
  }

  private static FaultSettings faults(Map<String, String> options) {
    return FaultSettings.NONE
        .withServerErrorShare(share(options, "server-error-share"))
        .withOverloadedShare(share(options, "overloaded-share"))
        .withHang(share(options, "hang-share"), millis(options, "hang-ms", 30_000))
        .withMalformedShare(share(options, "malformed-share"))
        .withTruncatedShare(share(options, "truncated-share"))
        .withResetShare(share(options, "reset-share"))
        .withSeed(intOption(options, "seed", 42));
  }

  private static BatchSettings batches(Map<String, String> options) {
    BatchSettings defaults = BatchSettings.DEFAULT;
    Duration processing =
        millis(options, "batch-processing-ms", defaults.processingTime().toMillis());
    Duration processingMax =
        millis(options, "batch-processing-max-ms", processing.toNanos() / 1_000_000.0);
    if (processingMax.compareTo(processing) < 0) {
      throw new IllegalArgumentException(
          "--batch-processing-max-ms must not be less than --batch-processing-ms");
    }
    return defaults
        .withProcessingTime(processing, processingMax)
        .withLineSkew(positive(options, "batch-line-skew", defaults.lineSkew()))
        .withErrorShare(share(options, "batch-error-share"))
        .withCompletionWindow(
            millis(options, "batch-window-ms", defaults.completionWindow().toMillis()));
  }

  private static int intOption(Map<String, String> options, String name, int fallback) {
    String value = options.get(name);
    try {
      return value == null ? fallback : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a whole number: '" + value + "'");
    }
  }

  private static double positive(Map<String, String> options, String name, double fallback) {
    double value = number(options, name, fallback);
    if (!(value > 0)) {
      throw new IllegalArgumentException("--" + name + " must be positive: " + value);
    }
    return value;
  }

  private static double share(Map<String, String> options, String name) {
    return number(options, name, 0);
  }

  private static Duration millis(Map<String, String> options, String name, double fallback) {
    return Duration.ofNanos(Math.round(number(options, name, fallback) * 1_000_000));
  }

  private static double number(Map<String, String> options, String name, double fallback) {
    String value = options.get(name);
    try {
      return value == null ? fallback : Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a number: '" + value + "'");
    }
  }

  private static void usage(PrintStream out) {
    out.println(
        "usage: sluice simulator [--port P] [--profile NAME] [--latency-base-ms MS]"
            + " [--latency-per-token-ms MS] [--latency-sigma S] [--enforcement SPEC]"
            + " [--server-error-share F] [--overloaded-share F]"
            + " [--hang-share F --hang-ms MS] [--malformed-share F] [--truncated-share F]"
            + " [--reset-share F] [--seed N] [--batch-processing-ms MS]"
            + " [--batch-processing-max-ms MS] [--batch-line-skew K] [--batch-error-share F]"
            + " [--batch-window-ms MS] [--api-key KEY]");
    out.println("profiles: " + String.join(", ", Profiles.names()));
  }
}
