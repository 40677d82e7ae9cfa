package io.sluice.launcher.demo;

import io.sluice.launcher.client.SluiceClient;
import io.sluice.launcher.local.LocalOptions;
import io.sluice.launcher.local.LocalPlatform;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice demo}: the platform plus a sample workload, end to end, with a summary. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Starts Sluice locally, submits a sample workload over HTTP, waits for every job and prints"
            + " a summary. Exits 1 if any job did not succeed with the expected output.")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--jobs",
      defaultValue = "200",
      description = "How many jobs (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--json", description = "Print the summary as one JSON object.")
  boolean json;

  @Option(
      names = "--models",
      split = ",",
      defaultValue = "gpt-4o-mini,claude-haiku-4-5,gemini-2.5-flash",
      description = "Models to spread the jobs over (default: ${DEFAULT-VALUE}).")
  List<String> models;

  @Option(
      names = "--timeout",
      defaultValue = "PT5M",
      description = "How long to wait for the jobs, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--poll",
      description =
          "Read every unfinished job every 100 ms instead of one long poll per job (how the demo"
              + " waited before; to compare).")
  boolean poll;

  @Option(
      names = "--data-dir",
      description = "Keep the data here instead of a temporary directory removed afterwards.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (jobs < 1) {
      throw new IllegalArgumentException("--jobs must be at least 1, got " + jobs);
    }
    Path home = dataDir != null ? dataDir : Files.createTempDirectory("sluice-demo-");
    try {
      return runIn(home);
    } finally {
      if (dataDir == null) {
        deleteRecursively(home);
      }
    }
  }

  private int runIn(Path home) throws InterruptedException {
    System.err.println("Starting Kafka, PostgreSQL, the simulator and Sluice...");
    LocalOptions options =
        new LocalOptions(
            home,
            0,
            LocalOptions.DEFAULT_PROFILE,
            LocalOptions.DEFAULT_LATENCY,
            LocalOptions.DEFAULT_WORKER_CONCURRENCY);
    try (LocalPlatform platform = LocalPlatform.start(options);
        SluiceClient client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
        WebhookReceiver receiver = WebhookReceiver.start(Clock.systemUTC())) {
      System.err.printf(
          "Running %d jobs on %s, waiting by %s; results also by webhook to %s%n",
          jobs,
          String.join(", ", models),
          poll ? "polling every 100 ms" : "long poll",
          receiver.url());
      DemoSummary summary =
          new DemoRun(client, Clock.systemUTC(), System.err, System.console() != null)
              .receivingWebhooks(receiver)
              .waitingBy(poll ? DemoRun.Waiting.POLL : DemoRun.Waiting.LONG_POLL)
              .run(DemoWorkload.generate(jobs, models, 42), timeout);
      print(summary);
      return summary.allSucceeded() ? 0 : 1;
    }
  }

  private void print(DemoSummary summary) {
    if (json) {
      System.out.println(Json.mapper().valueToTree(summary.toJsonFields()));
    } else {
      System.out.println();
      System.out.println(summary.toText());
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(DemoCommand::deleteQuietly);
    } catch (IOException e) {
      System.err.println("could not remove the demo's temporary data in " + dir);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
