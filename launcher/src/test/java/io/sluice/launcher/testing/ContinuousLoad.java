package io.sluice.launcher.testing;

import io.sluice.launcher.client.SluiceClient;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Submits small jobs from a few threads, each as soon as the previous one was answered, until
 * stopped. Remembers the ID of every job the API accepted (202); requests that fail (e.g. because
 * the API is stopping) are counted, not retried.
 */
public final class ContinuousLoad implements AutoCloseable {
  private final SluiceClient client;
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads;

  public ContinuousLoad(URI api, String apiKey, int threads) {
    this.client = new SluiceClient(api, apiKey);
    this.threads =
        java.util.stream.IntStream.range(0, threads)
            .mapToObj(i -> Thread.ofVirtual().name("load-" + i).start(() -> submitLoop(i)))
            .toList();
  }

  private void submitLoop(int thread) {
    long n = 0;
    while (running.get()) {
      try {
        accepted.add(
            client
                .submit(
                    Map.of(
                        "model",
                        "gpt-4o-mini",
                        "messages",
                        List.of(
                            Map.of("role", "user", "content", "reverse: " + thread + "-" + n++))))
                .get("id")
                .asText());
      } catch (RuntimeException e) {
        refused.incrementAndGet();
      }
    }
  }

  /** Stops submitting and waits for the requests under way. */
  public Set<String> stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join();
    }
    return Set.copyOf(accepted);
  }

  public int acceptedSoFar() {
    return accepted.size();
  }

  public long refused() {
    return refused.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    client.close();
  }
}
