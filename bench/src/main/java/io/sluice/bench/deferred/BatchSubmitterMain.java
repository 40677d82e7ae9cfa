package io.sluice.bench.deferred;

import io.sluice.batch.BatchSubmitter;
import io.sluice.batch.BatchSubmitterSettings;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderKind;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.topic.TopicCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The batch-submitter of the nightly run, alone in its own JVM so that its peak memory is its
 * process's {@code VmHWM}. Arguments: Kafka bootstrap servers, JDBC URL, database user, simulator
 * URL, topic prefix, linger (ms), poll interval (ms); the database password comes in the
 * environment ({@value #PASSWORD_ENV}). Prints {@code BENCH ready} once running and stops when a
 * line {@code stop} (or the end of input) arrives on stdin.
 */
public final class BatchSubmitterMain {
  static final String PASSWORD_ENV = "SLUICE_BENCH_DB_PASSWORD";
  static final String READY = "BENCH ready";
  static final String SIMULATOR_KEY = "sk-bench";

  private BatchSubmitterMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 7) {
      System.err.println(
          "usage: BatchSubmitterMain <bootstrap> <jdbc-url> <db-user> <simulator-url> <prefix>"
              + " <linger-ms> <poll-ms>");
      System.exit(2);
    }
    URI simulator = URI.create(args[3]);
    List<ProviderConfig> accounts =
        ModelCatalog.defaults().providers().stream()
            .filter(name -> ProviderKind.forProvider(name).hasBatchApi())
            .map(
                name ->
                    ProviderConfig.of(
                        name, ProviderKind.forProvider(name), simulator, SIMULATOR_KEY))
            .toList();
    Duration poll = Duration.ofMillis(Long.parseLong(args[6]));
    BatchSubmitterSettings settings =
        BatchSubmitterSettings.builder(
                args[0],
                BatchSubmitterSettings.Jdbc.of(args[1], args[2], System.getenv(PASSWORD_ENV)),
                accounts)
            .topics(new TopicCatalog(args[4]))
            .groupId(args[4] + "-batch-submitter")
            .topicPartitions(6)
            .linger(Duration.ofMillis(Long.parseLong(args[5])))
            .pollInterval(poll)
            .retryDelay(poll)
            .build();
    try (BatchSubmitter submitter = BatchSubmitter.start(settings)) {
      System.out.println(READY);
      System.out.flush();
      awaitStop();
    }
    System.exit(0);
  }

  private static void awaitStop() throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.strip().equals("stop")) {
        return;
      }
    }
  }
}
