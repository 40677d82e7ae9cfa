package io.sluice.launcher.local;

import static org.awaitility.Awaitility.await;

import io.sluice.launcher.client.SluiceClient;
import io.sluice.launcher.testing.ContinuousLoad;
import io.sluice.launcher.testing.SluiceProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurements of {@code sluice local} as a child process, run by hand (tagged {@code slow}, left
 * out of the normal suite):
 *
 * <pre>
 * ./mvnw -pl launcher verify -Dlauncher.excludedGroups=none -Dtest=LocalProcessBench \
 *   [-Dsluice.bench.jobs=10000] [-Dsluice.bench.restarts=3] \
 *   [-Dsluice.bench.classpath='/path/to/sluice/lib/*'] \
 *   [-Dsluice.bench.jvm='-Xmx1g -XX:+UseG1GC'] [-Dsluice.bench.cds=/tmp/local.jsa]
 * </pre>
 *
 * The child runs on the tests' classpath unless {@code sluice.bench.classpath} names another build
 * (e.g. an older one, for a before/after figure), with the JVM options {@code ./sluice local} uses
 * ({@code scripts/java-opts.sh}) unless {@code sluice.bench.jvm} gives others. Figures are printed
 * and appended to {@code target/local-bench.txt}. With {@code sluice.bench.cds} the child keeps a
 * class-data archive there as {@code ./sluice local} does (scripts/java-opts.sh), and the bench
 * first starts and stops it once cleanly so the archive exists, as it does for anyone who has run
 * {@code sluice local} before.
 */
@Tag("slow")
class LocalProcessBench {
  private static final int JOBS = Integer.getInteger("sluice.bench.jobs", 10_000);
  private static final int RESTARTS = Integer.getInteger("sluice.bench.restarts", 1);
  private static final Path REPORT = Path.of("target", "local-bench.txt");

  @TempDir Path dataDir;

  /**
   * Issue 8, defect 4: after a SIGKILL, how long until the restarted process completes a job. With
   * {@code -Dsluice.bench.restarts=N} the restarted process is killed again once its job is done
   * and restarted, N times; each restarted child's output goes to {@code
   * target/local-bench-restart-<n>.log} for the timeline.
   */
  @Test
  void measureTheTimeFromARestartAfterSigkillToTheFirstCompletedJob() throws Exception {
    if (System.getProperty("sluice.bench.cds") != null) {
      try (SluiceProcess warm = start()) {
        warm.awaitApi(Duration.ofMinutes(2));
        warm.terminate();
        warm.awaitExit(Duration.ofMinutes(1));
      }
      report("class-data archive after a clean stop: %d bytes", archiveBytes());
    }
    try (SluiceProcess local = start()) {
      URI api = local.awaitApi(Duration.ofMinutes(2));
      Set<String> accepted = submit(api, local.apiKey(), JOBS);
      awaitSucceeded(api, local.apiKey(), accepted, Duration.ofMinutes(10));
      local.kill();
    }
    for (int restart = 1; restart <= RESTARTS; restart++) {
      measureARestartAfterSigkill(restart, restart == RESTARTS);
    }
  }

  private void measureARestartAfterSigkill(int restart, boolean last) throws Exception {
    Instant restartedAt = Instant.now();
    long restarted = System.nanoTime();
    try (SluiceProcess local = start()) {
      URI api = local.awaitApi(Duration.ofMinutes(5));
      double apiUp = secondsSince(restarted);
      try (SluiceClient client = new SluiceClient(api, local.apiKey())) {
        String id = submitOne(client);
        await()
            .atMost(Duration.ofMinutes(5))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> client.job(id).get("status").asText().equals("succeeded"));
      }
      double firstJob = secondsSince(restarted);
      Path log = REPORT.resolveSibling("local-bench-restart-" + restart + ".log");
      Files.write(log, local.lines());
      report(
          "restart %d after SIGKILL with %d finished jobs: API up %.1f s, first new job done %.1f s"
              + " after the restart at %s (jvm %s, classpath %s; output in %s)",
          restart,
          JOBS + restart - 1,
          apiUp,
          firstJob,
          restartedAt,
          jvmOptions(),
          classpathLabel(),
          log);
      if (last) {
        local.terminate();
        local.awaitExit(Duration.ofSeconds(30));
      } else {
        local.kill();
      }
    }
  }

  /** Issue 8, defect 9: peak resident memory while accepting and running many jobs. */
  @Test
  void measureThePeakResidentMemoryWhileAcceptingJobs() throws Exception {
    try (SluiceProcess local = start()) {
      URI api = local.awaitApi(Duration.ofMinutes(2));
      long idle = local.peakRssKib();
      long started = System.nanoTime();
      Set<String> accepted = submit(api, local.apiKey(), JOBS);
      double submitSeconds = secondsSince(started);
      long afterAccepting = local.peakRssKib();
      awaitSucceeded(api, local.apiKey(), accepted, Duration.ofMinutes(10));
      report(
          "peak RSS (VmHWM) of sluice local: %d MiB at start, %d MiB after accepting %d jobs in"
              + " %.0f s, %d MiB after all succeeded %.0f s later (jvm %s, classpath %s)",
          idle / 1024,
          afterAccepting / 1024,
          accepted.size(),
          submitSeconds,
          local.peakRssKib() / 1024,
          secondsSince(started) - submitSeconds,
          jvmOptions(),
          classpathLabel());
      local.terminate();
      local.awaitExit(Duration.ofSeconds(30));
    }
  }

  private SluiceProcess start() {
    String classpath = System.getProperty("sluice.bench.classpath", SluiceProcess.testClasspath());
    return SluiceProcess.local(dataDir, classpath, jvmOptions());
  }

  private static Set<String> submit(URI api, String key, int jobs) throws Exception {
    try (ContinuousLoad load = new ContinuousLoad(api, key, 16)) {
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> load.acceptedSoFar() >= jobs);
      return load.stop();
    }
  }

  private static String submitOne(SluiceClient client) {
    return client
        .submit(
            Map.of(
                "model",
                "gpt-4o-mini",
                "messages",
                List.of(Map.of("role", "user", "content", "reverse: after the restart"))))
        .get("id")
        .asText();
  }

  private static void awaitSucceeded(URI api, String key, Set<String> ids, Duration timeout) {
    Set<String> waiting = new HashSet<>(ids);
    try (SluiceClient client = new SluiceClient(api, key)) {
      await()
          .atMost(timeout)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                waiting.removeIf(id -> client.job(id).get("status").asText().equals("succeeded"));
                return waiting.isEmpty();
              });
    }
  }

  /** The options {@code ./sluice local} starts the JVM with, or {@code sluice.bench.jvm}. */
  private static List<String> jvmOptions() {
    String given = System.getProperty("sluice.bench.jvm");
    if (given != null) {
      return Arrays.stream(given.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
    try {
      ProcessBuilder builder =
          new ProcessBuilder("bash", "-c", ". ../scripts/java-opts.sh && sluice_java_opts local");
      builder
          .environment()
          .put("SLUICE_CDS_ARCHIVE", System.getProperty("sluice.bench.cds", "off"));
      Process script = builder.redirectErrorStream(true).start();
      List<String> options = new String(script.getInputStream().readAllBytes()).lines().toList();
      if (script.waitFor() != 0) {
        throw new IllegalStateException("scripts/java-opts.sh failed: " + options);
      }
      return options;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read scripts/java-opts.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long archiveBytes() throws IOException {
    Path archive = Path.of(System.getProperty("sluice.bench.cds"));
    return Files.exists(archive) ? Files.size(archive) : 0;
  }

  private static String classpathLabel() {
    return System.getProperty("sluice.bench.classpath", "tests'");
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  private static void report(String format, Object... arguments) throws IOException {
    String line = format.formatted(arguments);
    System.out.println(line);
    Files.createDirectories(REPORT.getParent());
    Files.writeString(
        REPORT,
        line + System.lineSeparator(),
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }
}
