package io.sluice.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.launcher.local.LocalOptions;
import io.sluice.launcher.local.LocalPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's run on {@code sluice local} (real test broker, real PostgreSQL): every job ends with
 * its expected output whether the demo waits by long poll or by polling, and every event arrives at
 * its webhook receiver with a verified signature.
 */
class DemoRunTest {
  private static final List<String> MODELS =
      List.of("gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash");
  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(
                dataDir,
                0,
                LocalOptions.DEFAULT_PROFILE,
                LocalOptions.DEFAULT_LATENCY,
                LocalOptions.DEFAULT_WORKER_CONCURRENCY),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("demo"));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
  }

  @AfterAll
  static void stopPlatform() {
    client.close();
    platform.close();
    database.close();
  }

  private static DemoSummary run(DemoRun.Waiting waiting, int jobs, long seed) throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    try (WebhookReceiver receiver = WebhookReceiver.start(Clock.systemUTC())) {
      return new DemoRun(
              client,
              Clock.systemUTC(),
              new PrintStream(progress, true, StandardCharsets.UTF_8),
              false)
          .receivingWebhooks(receiver)
          .waitingBy(waiting)
          .run(DemoWorkload.generate(jobs, MODELS, seed), Duration.ofMinutes(2));
    }
  }

  @Test
  void shouldFinishEveryJobWithItsExpectedOutputWaitingByLongPoll() throws Exception {
    DemoSummary summary = run(DemoRun.Waiting.LONG_POLL, 60, 7);

    assertThat(summary.submitted()).isEqualTo(60);
    assertThat(summary.allSucceeded()).as(summary.toText()).isTrue();
  }

  @Test
  void shouldFinishEveryJobWithItsExpectedOutputWaitingByPolling() throws Exception {
    DemoSummary summary = run(DemoRun.Waiting.POLL, 20, 8);

    assertThat(summary.submitted()).isEqualTo(20);
    assertThat(summary.allSucceeded()).as(summary.toText()).isTrue();
  }
}
