package io.sluice.bench;

import io.sluice.bench.intake.IntakeOptions;
import io.sluice.bench.scenario.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of the benchmark.
 *
 * @param scenarios the scenarios to run, in order
 * @param duration how long each side of a scenario runs
 * @param warmUp the start of each run excluded from the steady figures
 * @param workers worker processes on the Sluice side
 * @param concurrency each worker pool's concurrency
 * @param recordsPerPoll the most records one poll of a worker's consumer takes (the pool's {@code
 *     recordsPerPoll}); 1 by default, the sizing for an account that admits a few calls a second
 * @param baselineConcurrency the naive client's threads
 * @param latencyBase the simulator's added latency per call
 * @param latencyPerToken the simulator's added latency per output token
 * @param outDir where the JSON results go
 * @param baseline whether and when to run the naive baseline for scenarios that have one
 * @param nightly the settings of the {@code deferred-nightly} scenario
 * @param intake the settings of the {@code intake} scenario
 * @param platformHeap {@code bulk-intake}, {@code bulk-run}: the child {@code sluice local}'s
 *     {@code -Xmx}
 * @param window {@code bulk-intake}, {@code bulk-run}: the batch's {@code completion_window}, or
 *     {@code null} for the scenario's own ({@code 24h}, {@code 1h})
 * @param repeats {@code webhooks-load}: how many times each kind of run with webhooks runs, each
 *     time between runs without
 */
public record BenchOptions(
    List<String> scenarios,
    Duration duration,
    Duration warmUp,
    int workers,
    int concurrency,
    int recordsPerPoll,
    int baselineConcurrency,
    Duration latencyBase,
    Duration latencyPerToken,
    Path outDir,
    Baseline baseline,
    NightlyOptions nightly,
    IntakeOptions intake,
    String platformHeap,
    String window,
    int repeats) {

  /** Whether and when a scenario's naive baseline runs. */
  public enum Baseline {
    /** Not at all ({@code --no-baseline}). */
    NONE,
    /** After the Sluice side, on a fresh simulator (the default). */
    AFTER,
    /**
     * At the same time as the Sluice side, on a simulator of its own ({@code
     * --baseline-alongside}): half the wall time; the two share only the machine's CPU, which at
     * tier-1 limits neither side comes near.
     */
    ALONGSIDE
  }

  /** The deferred lane's nightly run: not among the default scenarios, named on its own. */
  static final String NIGHTLY = "deferred-nightly";

  /** Issue 10's webhook load benchmark: not among the default scenarios either. */
  static final String WEBHOOKS = "webhooks-load";

  /** Issue 11's intake benchmark against {@code sluice local} in a child JVM: named on its own. */
  static final String INTAKE = "intake";

  /**
   * Issue 11's waiting clients against {@code sluice local} in a child JVM: a long poll and an
   * event stream on each of {@code --jobs} (default 1,000) deferred jobs, all open at once.
   */
  static final String WAITERS = "waiters";

  /**
   * Issue 12's bulk intake against {@code sluice local} in a child JVM: a JSONL file of {@code
   * --jobs} lines (default 100,000) uploaded and run as a {@code 24h} batch, timed to the last
   * line's task dispatched.
   */
  static final String BULK_INTAKE = "bulk-intake";

  /**
   * A bulk run on the realtime lanes against {@code sluice local} in a child JVM (its {@code
   * unlimited} simulator): a JSONL file of {@code --jobs} lines (default 20,000) run as a {@code
   * 1h} batch ({@code bulk} lane, paced, each line with the window as its deadline), timed from the
   * upload to the batch {@code completed}, with the platform's CPU time.
   */
  static final String BULK_RUN = "bulk-run";

  /**
   * Issue 13's map-reduce benchmark against {@code sluice local} in a child JVM on the {@code
   * openai-tier1} profile: one job over a 2,000,000-token document, timed against the limits' lower
   * bound.
   */
  static final String MAPREDUCE = "mapreduce";

  /** Lines of {@code bulk-intake}'s file unless {@code --jobs}. */
  static final int BULK_LINES = 100_000;

  /** Lines of {@code bulk-run}'s file unless {@code --jobs}. */
  static final int BULK_RUN_LINES = 20_000;

  /** Jobs (each with a long poll and an event stream) of {@code waiters} unless {@code --jobs}. */
  static final int WAITERS_JOBS = 1_000;

  /** Jobs per run of {@code webhooks-load} unless {@code --jobs} says otherwise. */
  static final int WEBHOOKS_JOBS = 25_000;

  /**
   * Repeats of {@code webhooks-load}'s runs with webhooks unless {@code --repeats}: three of each
   * kind and four plain runs, with the warm-up ~10 min for 10,000 jobs a run on the 2-core machine.
   */
  static final int WEBHOOKS_REPEATS = 3;

  static final List<String> DEFAULT_SCENARIOS =
      List.of(
          "openai-tier1",
          "anthropic-tier1",
          "large",
          "openai-tier1-estimate-20",
          "openai-tier1-kill");

  static final String USAGE =
      """
      bench/run [--smoke] [--duration 5m] [--scenarios a,b,...] [--no-baseline | --baseline-alongside]
                [--workers 3] [--concurrency 8] [--records-per-poll 1] [--baseline-concurrency 16]
                [--latency-ms 250] [--latency-per-token-ms 2] [--out bench/results]
      bench/run --scenarios deferred-nightly [--jobs 100000] [--batch-time 15s-2m]
                [--submit-concurrency 32] [--timeout 2h]
      bench/run --scenarios webhooks-load [--jobs 25000] [--repeats 3] [--submit-concurrency 32]
                [--concurrency 16] [--latency-ms 50] [--latency-per-token-ms 0]
      bench/run --scenarios intake [--rates 250,500,1000,1500,2000,2500,3000]
                [--step-duration 30s] [--warm-up 20s] [--warm-up-rate 500] [--pause 5s]
                [--max-connections 1000] [--request-timeout 10s]
                [--instrumentation default|off|traced] [--drain 10m]
      bench/run --scenarios waiters [--jobs 1000]
      bench/run --scenarios bulk-intake [--jobs 100000] [--platform-heap 1g] [--timeout 2h]
                [--window 24h]
      bench/run --scenarios bulk-run [--jobs 20000] [--platform-heap 1g] [--timeout 2h]
                [--window 1h]
      bench/run --scenarios mapreduce [--timeout 2h]
        --smoke        60 s runs of openai-tier1 only (unless --scenarios is given)
        --duration     each run's length: 300s, 5m, 90s ... (default 5m)
        --records-per-poll  the most records a worker's consumer takes at a time (default 1:
                       at tier-1 limits an account admits a few calls a second, and a record
                       held is a record that waits; workers README, "Taking only a lane's
                       head while the rate limiter binds"); 1 to 500
        --baseline-alongside  run the naive baseline at the same time as the Sluice side, each
                       on its own simulator, instead of after it (half the wall time)
        --scenarios    any of: %s, %s, %s, %s, %s, %s, %s, %s;
                       or an enforcement variant (issue 15), not run by default:
                       openai-tier1-<variant> or anthropic-tier1-<variant>, <variant> one of
                       %s
        --jobs         deferred-nightly: jobs submitted (default 100000);
                       webhooks-load: jobs per run (default 25000);
                       waiters: jobs, each with a long poll and an event stream (default 1000);
                       bulk-intake: lines of the uploaded file (default 100000);
                       bulk-run: lines of the uploaded file (default 20000)
        --repeats      webhooks-load: runs of each kind with webhooks, interleaved with runs
                       without (default 3)
        --platform-heap  bulk-intake, bulk-run: -Xmx of the child sluice local (default 1g)
        --window       bulk-intake, bulk-run: the batch's completion_window (default 24h, 1h)
        --batch-time   deferred-nightly: the simulator's batch processing time, min-max
                       (log-uniform per batch; default 15s-2m)
        --submit-concurrency  deferred-nightly: concurrent HTTP submissions (default 32)
        --timeout      deferred-nightly: give up waiting for terminal jobs after this (default 2h);
                       bulk-intake: give up waiting for every line's task; bulk-run: for the
                       batch to end; mapreduce: for the job
        --rates        intake: the steps' offered rates in jobs/s; stepping stops after a step
                       that accepted under 90%% of its requests
        --step-duration  intake: each step's length (default 30s)
        --warm-up, --warm-up-rate  intake: the warm-up before the steps (default 20s at 500/s)
        --pause        intake: idle time after each step's responses are in (default 5s)
        --max-connections  intake: the generator's keep-alive connections at most (default 1000)
        --request-timeout  intake: a request unanswered this long counts as timed out (default 10s)
        --instrumentation  intake: default (meters on, tracing off), off (meters off too) or
                       traced (meters on, every job traced and exported to a stub collector)
        --drain        intake: after the warm-up and each step, wait up to this long until every
                       job has ended; reports each step's end-to-end jobs/s and platform CPU per
                       job (default 0: do not wait); a step that did not keep up is not drained
        --platform-profile  intake: the simulator profile of the child sluice local (default
                       unlimited: it processes as fast as the machine allows; tier1: processing
                       paced by tier-1 rate limits, the backlog waiting in Kafka)
      """
          .formatted(
              String.join(", ", DEFAULT_SCENARIOS),
              NIGHTLY,
              WEBHOOKS,
              INTAKE,
              WAITERS,
              BULK_INTAKE,
              BULK_RUN,
              MAPREDUCE,
              String.join(", ", Scenario.VARIANTS.keySet()));

  static BenchOptions parse(String[] args) {
    List<String> scenarios = null;
    Duration duration = Duration.ofMinutes(5);
    boolean smoke = false;
    Baseline baseline = Baseline.AFTER;
    int workers = 3;
    int concurrency = 8;
    int recordsPerPoll = 1;
    int baselineConcurrency = 16;
    long latencyMs = 250;
    long perTokenMs = 2;
    Path out = Path.of("bench/results");
    NightlyOptions nightly = NightlyOptions.DEFAULT;
    boolean jobsGiven = false;
    IntakeOptions intake = IntakeOptions.DEFAULT;
    String platformHeap = "1g";
    String window = null;
    int repeats = WEBHOOKS_REPEATS;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        case "--smoke" -> smoke = true;
        case "--no-baseline" -> baseline = Baseline.NONE;
        case "--baseline-alongside" -> baseline = Baseline.ALONGSIDE;
        case "--duration" -> duration = duration(value(args, ++i, arg));
        case "--scenarios" -> scenarios = List.of(value(args, ++i, arg).split(","));
        case "--workers" -> workers = Integer.parseInt(value(args, ++i, arg));
        case "--concurrency" -> concurrency = Integer.parseInt(value(args, ++i, arg));
        case "--records-per-poll" -> recordsPerPoll = Integer.parseInt(value(args, ++i, arg));
        case "--baseline-concurrency" ->
            baselineConcurrency = Integer.parseInt(value(args, ++i, arg));
        case "--latency-ms" -> latencyMs = Long.parseLong(value(args, ++i, arg));
        case "--latency-per-token-ms" -> perTokenMs = Long.parseLong(value(args, ++i, arg));
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--jobs" -> {
          nightly = nightly.withJobs(Integer.parseInt(value(args, ++i, arg)));
          jobsGiven = true;
        }
        case "--batch-time" -> nightly = nightly.withBatchTime(value(args, ++i, arg));
        case "--submit-concurrency" ->
            nightly = nightly.withSubmitConcurrency(Integer.parseInt(value(args, ++i, arg)));
        case "--timeout" -> nightly = nightly.withTimeout(duration(value(args, ++i, arg)));
        case "--rates" -> intake = intake.withRates(value(args, ++i, arg));
        case "--step-duration" -> intake = intake.withStepDuration(duration(value(args, ++i, arg)));
        case "--warm-up" -> intake = intake.withWarmUp(duration(value(args, ++i, arg)));
        case "--warm-up-rate" ->
            intake = intake.withWarmUpRate(Integer.parseInt(value(args, ++i, arg)));
        case "--pause" -> intake = intake.withPause(duration(value(args, ++i, arg)));
        case "--max-connections" ->
            intake = intake.withMaxConnections(Integer.parseInt(value(args, ++i, arg)));
        case "--request-timeout" ->
            intake = intake.withRequestTimeout(duration(value(args, ++i, arg)));
        case "--platform-heap" -> platformHeap = value(args, ++i, arg);
        case "--window" -> window = value(args, ++i, arg);
        case "--repeats" -> repeats = Integer.parseInt(value(args, ++i, arg));
        case "--instrumentation" -> intake = intake.withInstrumentation(value(args, ++i, arg));
        case "--drain" -> intake = intake.withDrain(duration(value(args, ++i, arg)));
        case "--platform-profile" -> intake = intake.withProfile(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (smoke) {
      duration = containsDuration(args) ? duration : Duration.ofSeconds(60);
      scenarios = scenarios == null ? List.of("openai-tier1") : scenarios;
    }
    scenarios = scenarios == null ? DEFAULT_SCENARIOS : new ArrayList<>(scenarios);
    for (String name : scenarios) {
      if (!DEFAULT_SCENARIOS.contains(name)
          && !NIGHTLY.equals(name)
          && !WEBHOOKS.equals(name)
          && !INTAKE.equals(name)
          && !WAITERS.equals(name)
          && !BULK_INTAKE.equals(name)
          && !BULK_RUN.equals(name)
          && !MAPREDUCE.equals(name)
          && !Scenario.variantNames().contains(name)) {
        throw new IllegalArgumentException("unknown scenario " + name + "\n" + USAGE);
      }
    }
    Set<String> named = new HashSet<>();
    for (String name : scenarios) {
      if (!named.add(name)) {
        // one invocation names a scenario's topics and limiter key by the scenario and its
        // stamp: a second run of it would start on the first one's backlog and learned state
        throw new IllegalArgumentException(
            "scenario "
                + name
                + " is named twice: run it again in another invocation, whose topics and limiter"
                + " state are its own");
      }
    }
    if (recordsPerPoll < 1 || recordsPerPoll > 500) {
      throw new IllegalArgumentException(
          "--records-per-poll must be between 1 and 500, got " + recordsPerPoll);
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be at least 1, got " + repeats);
    }
    if (!jobsGiven && scenarios.contains(WEBHOOKS)) {
      nightly = nightly.withJobs(WEBHOOKS_JOBS);
    }
    if (!jobsGiven && scenarios.contains(BULK_INTAKE)) {
      nightly = nightly.withJobs(BULK_LINES);
    }
    if (!jobsGiven && scenarios.contains(BULK_RUN)) {
      nightly = nightly.withJobs(BULK_RUN_LINES);
    }
    if (!jobsGiven && scenarios.contains(WAITERS)) {
      nightly = nightly.withJobs(WAITERS_JOBS);
    }
    return new BenchOptions(
        List.copyOf(scenarios),
        duration,
        Duration.ofSeconds(10),
        workers,
        concurrency,
        recordsPerPoll,
        baselineConcurrency,
        Duration.ofMillis(latencyMs),
        Duration.ofMillis(perTokenMs),
        out,
        baseline,
        nightly,
        intake,
        platformHeap,
        window,
        repeats);
  }

  private static boolean containsDuration(String[] args) {
    return List.of(args).contains("--duration");
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args[i];
  }

  /** {@code 300s}, {@code 5m}, {@code 2h}, {@code 300} (seconds) or an ISO-8601 duration. */
  static Duration duration(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    if (t.startsWith("pt")) {
      return Duration.parse(t);
    }
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    }
    if (t.endsWith("h")) {
      return Duration.ofSeconds(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3600));
    }
    if (t.endsWith("m")) {
      return Duration.ofSeconds(
          Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
    }
    if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }
}
