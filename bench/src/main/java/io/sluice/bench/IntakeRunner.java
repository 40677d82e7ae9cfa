package io.sluice.bench;

import io.sluice.bench.intake.CommittedCheck;
import io.sluice.bench.intake.CpuFigures;
import io.sluice.bench.intake.DrainResult;
import io.sluice.bench.intake.Instrumentation;
import io.sluice.bench.intake.IntakeOptions;
import io.sluice.bench.intake.IntakeSummary;
import io.sluice.bench.intake.JobBodies;
import io.sluice.bench.intake.OpenLoopClient;
import io.sluice.bench.intake.PlatformDatabase;
import io.sluice.bench.intake.PlatformProcess;
import io.sluice.bench.intake.ProcessCpu;
import io.sluice.bench.intake.Schedule;
import io.sluice.bench.intake.StepRecorder;
import io.sluice.bench.intake.StepResult;
import io.sluice.bench.intake.StopRule;
import io.sluice.bench.intake.TraceSink;
import io.sluice.bench.report.CpuMeter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Issue 11's intake benchmark ({@code intake}): {@code sluice local} in a child JVM (the whole
 * platform, processing what it accepts on the simulator's {@code unlimited} profile), and this JVM
 * as an open-loop load generator of single-job {@code POST /v1/jobs} at fixed rates: a warm-up,
 * then steps of rising rates until one accepts less than 90% of what it offered. Afterwards every
 * job ID answered with a {@code 202} is looked up in the platform's PostgreSQL. With {@code
 * --drain}, the warm-up and each step are followed until every job has ended, for the cost of a job
 * from submission to result ({@link DrainResult}).
 */
final class IntakeRunner {
  static final int DISTINCT_BODIES = 1_000;
  static final long BODY_SEED = 42;
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration SCHEDULE_LEAD = Duration.ofMillis(50);
  private static final Duration DRAIN_POLL = Duration.ofSeconds(1);

  private final IntakeOptions options;
  private final Path logDir;
  private final StopRule stopRule = StopRule.DEFAULT;
  private final List<String> acceptedIds = new ArrayList<>();
  private final List<DrainResult> drains = new ArrayList<>();
  private PlatformProcess platform;
  private PlatformDatabase database;
  private OpenLoopClient client;

  IntakeRunner(IntakeOptions options, Path logDir) {
    this.options = options;
    this.logDir = logDir;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scenario", BenchOptions.INTAKE);
    result.put("intake_options", options);
    result.put("stop_rule_min_accepted_share", stopRule.minAcceptedShare());
    Path data = Files.createTempDirectory("sluice-intake");
    Instrumentation instrumentation = options.instrumentation();
    try (TraceSink sink = TraceSink.start();
        PlatformProcess started =
            PlatformProcess.start(
                data,
                logDir.resolve("sluice-local.log"),
                "1g",
                List.of("--profile", options.profile()),
                instrumentation.environment(sink.url()))) {
      platform = started;
      result.put("platform", platformFacts());
      result.put("instrumentation", instrumentation.wireName());
      URI api = platform.awaitApi(START_TIMEOUT);
      System.out.println(
          "  sluice local (pid "
              + platform.pid()
              + ", instrumentation "
              + instrumentation.wireName()
              + ") serves "
              + api);
      runSteps(api, result);
      result.put("platform_exit_code", platform.stop());
      result.put("trace_exports", Map.of("requests", sink.exports(), "bytes", sink.bytes()));
    } finally {
      deleteRecursively(data);
    }
    return result;
  }

  private Map<String, Object> platformFacts() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put(
        "command", "sluice local --data-dir <temporary> --port 0 --profile " + options.profile());
    facts.put("jvm_options", PlatformProcess.JVM_OPTIONS);
    facts.put("simulator_profile", options.profile());
    facts.put("pid", platform.pid());
    facts.put("log", platform.log().toString());
    return facts;
  }

  private void runSteps(URI api, Map<String, Object> result) throws Exception {
    String hostPort = api.getHost() + ":" + api.getPort();
    List<StepResult> steps = new ArrayList<>();
    result.put("steps", steps);
    if (options.drains()) {
      result.put("drains", drains);
    }
    try (PlatformDatabase db = PlatformDatabase.of(platform.dataDir());
        OpenLoopClient generator =
            new OpenLoopClient(
                new InetSocketAddress(api.getHost(), api.getPort()),
                JobBodies.requests(
                    JobBodies.bodies(DISTINCT_BODIES, BODY_SEED), hostPort, platform.apiKey()),
                options.maxConnections(),
                options.requestTimeout(),
                acceptedIds::add)) {
      database = db;
      client = generator;
      platform.beforeExitStop(generator::halt);
      System.out.println(IntakeSummary.header());
      if (options.warmUpDuration().isPositive()) {
        result.put("warm_up", step("warm-up", options.warmUpRate(), options.warmUpDuration()));
      }
      for (int rate : options.rates()) {
        StepResult step = step("step-" + rate, rate, options.stepDuration());
        steps.add(step);
        if (generator.halted()) {
          result.put("stopped_after", step.name() + " (the benchmark was stopped)");
          break;
        }
        if (!stopRule.keptUp(step)) {
          result.put("stopped_after", step.name());
          break;
        }
      }
      CommittedCheck check = database.check(acceptedIds);
      result.put("committed_check", check);
      result.put("jobs_by_status_at_end", database.jobsByStatus());
      System.out.println(IntakeSummary.committedLine(check));
    }
  }

  private StepResult step(String name, int rate, Duration duration)
      throws IOException, SQLException, InterruptedException {
    CpuStart start = cpuStart();
    Schedule schedule = new Schedule(System.nanoTime() + SCHEDULE_LEAD.toNanos(), rate, duration);
    StepRecorder recorder = client.run(schedule, options.requestTimeout());
    StepResult result =
        StepResult.of(name, schedule, recorder, cpuSince(start), database.jobsByStatus());
    System.out.println(IntakeSummary.stepLine(result));
    if (options.drains() && !stopRule.keptUp(result)) {
      System.out.println(
          "  " + name + " not drained: it did not keep up, its backlog would outlast the run");
    } else if (options.drains()) {
      DrainResult drain = drain(name, result.accepted(), start);
      drains.add(drain);
      System.out.println(IntakeSummary.drainLine(drain));
    }
    Thread.sleep(options.pause().toMillis());
    return result;
  }

  /** Waits until no job is queued or running, or the drain limit passes; measured from start. */
  private DrainResult drain(String name, long jobs, CpuStart start)
      throws IOException, SQLException, InterruptedException {
    long deadline = System.nanoTime() + options.drain().toNanos();
    Map<String, Long> byStatus = database.jobsByStatus();
    while (DrainResult.waiting(byStatus) > 0 && System.nanoTime() < deadline) {
      Thread.sleep(DRAIN_POLL.toMillis());
      byStatus = database.jobsByStatus();
    }
    return DrainResult.of(name, jobs, cpuSince(start), byStatus);
  }

  /** CPU counters at the start of a measured span. */
  private record CpuStart(
      long wallNanos, double generator, double jvm, double postgres, CpuMeter machine) {}

  private CpuStart cpuStart() throws IOException, SQLException {
    return new CpuStart(
        System.nanoTime(),
        ProcessCpu.seconds(ProcessHandle.current().pid()),
        platform.jvmCpuSeconds(),
        database.cpuSeconds(),
        CpuMeter.read());
  }

  private CpuFigures cpuSince(CpuStart start) throws IOException, SQLException {
    return new CpuFigures(
        (System.nanoTime() - start.wallNanos()) / 1e9,
        ProcessCpu.seconds(ProcessHandle.current().pid()) - start.generator(),
        platform.jvmCpuSeconds() - start.jvm(),
        database.cpuSeconds() - start.postgres(),
        CpuMeter.read().busySince(start.machine()));
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(IntakeRunner::deleteQuietly);
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      // a file PostgreSQL or Kafka left behind: the temporary directory stays, nothing else
    }
  }
}
