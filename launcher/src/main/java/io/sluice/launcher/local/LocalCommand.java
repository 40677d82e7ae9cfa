package io.sluice.launcher.local;

import io.sluice.launcher.process.ProcessStop;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice local}: everything in one JVM until Ctrl-C or SIGTERM, which exit 0. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description =
        "Runs every component in one JVM on embedded Kafka and PostgreSQL, with the provider"
            + " simulator; prints the API URL and a development API key.")
public final class LocalCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      defaultValue = ".sluice",
      description = "Where data is kept across restarts (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--port",
      defaultValue = "" + LocalOptions.DEFAULT_API_PORT,
      description = "The API's port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--management-port",
      defaultValue = "" + LocalOptions.DEFAULT_MANAGEMENT_PORT,
      description =
          "The port of /metrics, /health/live and /health/ready for every component; a free one"
              + " when taken (default: ${DEFAULT-VALUE}).")
  int managementPort;

  @Option(
      names = "--profile",
      defaultValue = LocalOptions.DEFAULT_PROFILE,
      description =
          "The simulator's rate-limit profile: unlimited, tier1, openai-tier1, anthropic-tier1,"
              + " gemini-tier1, large"
              + " (default: ${DEFAULT-VALUE}).")
  String profile;

  @Option(
      names = "--worker-concurrency",
      defaultValue = "" + LocalOptions.DEFAULT_WORKER_CONCURRENCY,
      description = "Tasks in flight per provider (default: ${DEFAULT-VALUE}).")
  int workerConcurrency;

  @Override
  public Integer call() throws InterruptedException {
    LocalOptions options =
        new LocalOptions(dataDir, port, profile, LocalOptions.DEFAULT_LATENCY, workerConcurrency)
            .withManagementPort(managementPort);
    ProcessStop stop = ProcessStop.onSignals();
    LocalPlatform platform = LocalPlatform.start(options);
    platform.onDispatcherFatal(
        reason ->
            stop.fail("dispatcher cannot process (" + reason.getClass().getSimpleName() + ")"));
    System.out.print(banner(options, platform));
    System.out.flush();
    return stop.awaitThenClose(platform.lifecycle());
  }

  /** What a user needs: the URLs, the key, and lines to paste into a shell. */
  static String banner(LocalOptions options, LocalPlatform platform) {
    return """

        Sluice is running.
          API            %s
          API key        %s   (tenant local-dev, an operator; kept in %s)
          dashboard      %s/ui   (enter the API key)
          simulator      %s
          metrics        %s/metrics   (health: /health/live, /health/ready)
          data           %s

        Paste into a shell (the README's curl lines use these):
          export SLUICE_URL=%s
          export SLUICE_API_KEY=%s
          ./sluice submit --model gpt-4o-mini --prompt 'reverse: hello'

        Ctrl-C stops it; data is kept.
        """
        .formatted(
            platform.apiUrl(),
            platform.devApiKey(),
            options.dataDir().resolve("dev-api-key"),
            platform.apiUrl(),
            platform.simulatorUrl(),
            platform.managementUrl(),
            options.dataDir().toAbsolutePath(),
            platform.apiUrl(),
            platform.devApiKey());
  }
}
