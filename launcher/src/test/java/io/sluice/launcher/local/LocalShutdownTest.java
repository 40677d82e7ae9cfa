package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.launcher.client.SluiceClient;
import io.sluice.launcher.testing.ContinuousLoad;
import io.sluice.launcher.testing.SluiceProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice local} as a child process under load stops cleanly on SIGTERM: the API stops
 * accepting, the components stop before Kafka and PostgreSQL, the process exits 0 within 15 s and
 * logs no warning or error on the way (in the reverse order there are hundreds: every client loses
 * its server). Started again on the same data directory, it finishes every job it had accepted.
 */
class LocalShutdownTest {
  private static final Duration STOP_BOUND = Duration.ofSeconds(15);
  private static final List<String> JVM = List.of("-Xmx512m", "-XX:+UseSerialGC");

  /**
   * Warnings that have nothing to do with the order of the stop, left to their own module: the
   * workers' share consumer is sometimes woken up while its last acknowledgements are committed on
   * close (the records are delivered again, nothing is lost); the broker sometimes refuses one
   * append of the dispatcher's exactly-once producer to a task topic or to one of its store
   * changelogs as its transaction ends (the known gap "broker errors under the nightly run's
   * submission burst" in docs/benchmarks.md: Streams recovers, and the restart below checks that
   * every accepted job finishes). To remove once each is understood and fixed in its module.
   */
  private static final Pattern KNOWN_NOT_ORDER =
      Pattern.compile(
          "ConsumerLoop - acknowledgements of \\S+ not confirmed at close: .*WakeupException"
              + "|ReplicaManager - \\[ReplicaManager broker=1\\] Error processing append operation"
              + " on partition \\S+:sluice(\\.tasks\\.|-dispatcher-\\S+-changelog-)");

  @TempDir Path dataDir;

  @Test
  void shouldExitZeroSoonAfterSigtermUnderLoadAndFinishEveryAcceptedJobAfterARestart()
      throws Exception {
    Set<String> accepted;
    try (SluiceProcess local = SluiceProcess.local(dataDir, JVM)) {
      URI api = local.awaitApi(Duration.ofMinutes(2));
      ContinuousLoad load = new ContinuousLoad(api, local.apiKey(), 8);
      await().atMost(Duration.ofMinutes(1)).until(() -> load.acceptedSoFar() >= 500);
      int linesBeforeStop = local.lines().size();

      local.terminate();
      var exit = local.awaitExit(STOP_BOUND);
      accepted = load.stop();
      load.close();

      assertThat(exit)
          .as("exit code within %s; output:%n%s", STOP_BOUND, local.output())
          .contains(0);
      assertThat(local.warningsFrom(linesBeforeStop))
          .as("warnings while stopping")
          .filteredOn(line -> !KNOWN_NOT_ORDER.matcher(line).find())
          .isEmpty();
      assertThat(local.lines().subList(linesBeforeStop, local.lines().size()))
          .anyMatch(line -> line.contains("sluice local stopped in"));
    }

    try (SluiceProcess local = SluiceProcess.local(dataDir, JVM)) {
      URI api = local.awaitApi(Duration.ofMinutes(2));
      try (SluiceClient client = new SluiceClient(api, local.apiKey())) {
        Set<String> waiting = new HashSet<>(accepted);
        await("every accepted job to succeed after the restart")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> removeSucceeded(client, waiting));
      }

      local.terminate();
      assertThat(local.awaitExit(STOP_BOUND))
          .as("second stop; output:%n%s", local.output())
          .contains(0);
    }
  }

  /** Drops every job that succeeded; fails on one that ended otherwise. */
  private static boolean removeSucceeded(SluiceClient client, Set<String> waiting) {
    for (var it = waiting.iterator(); it.hasNext(); ) {
      String id = it.next();
      String status = client.job(id).get("status").asText();
      assertThat(status).as("status of %s", id).isIn("queued", "running", "succeeded");
      if (status.equals("succeeded")) {
        it.remove();
      } else {
        return false;
      }
    }
    return true;
  }
}
