package io.sluice.batch;

import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderKind;
import io.sluice.schemas.topic.TopicCatalog;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A batch-submitter in its own JVM, for tests that kill it. Arguments: bootstrap servers, topic
 * prefix, consumer group, JDBC URL, user, password, simulator base URL, and {@code
 * halt-after-create} (the JVM halts, as under SIGKILL, right after the provider created its first
 * batch and before Sluice recorded its ID) or {@code run}.
 */
public final class SubmitterProcess {
  private SubmitterProcess() {}

  public static void main(String[] args) throws InterruptedException {
    URI simulator = URI.create(args[6]);
    boolean haltAfterCreate = args[7].equals("halt-after-create");
    BatchSubmitterSettings.Builder settings =
        BatchSubmitterSettings.builder(
                args[0],
                BatchSubmitterSettings.Jdbc.of(args[3], args[4], args[5]),
                List.of(
                    ProviderConfig.of(
                        "openai", ProviderKind.OPENAI, simulator, DeferredLaneFixture.API_KEY),
                    ProviderConfig.of(
                        "anthropic",
                        ProviderKind.ANTHROPIC,
                        simulator,
                        DeferredLaneFixture.API_KEY)))
            .topics(new TopicCatalog(args[1]))
            .groupId(args[2])
            .topicPartitions(1)
            .linger(Duration.ofMillis(500))
            .pollInterval(Duration.ofMillis(200))
            .tick(Duration.ofMillis(100));
    if (haltAfterCreate) {
      settings.batchProviders(
          DeferredLaneFixture.adapters(
              provider ->
                  new ForwardingBatchProvider(provider) {
                    @Override
                    public BatchStatus submit(
                        List<BatchRequest> requests, Map<String, String> metadata) {
                      delegate.submit(requests, metadata);
                      Runtime.getRuntime().halt(137);
                      throw new IllegalStateException("unreachable");
                    }
                  }));
    }
    BatchSubmitter.start(settings.build());
    new CountDownLatch(1).await();
  }
}
