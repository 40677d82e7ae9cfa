package io.sluice.workers.testing;

import io.sluice.workers.WorkerPool;
import io.sluice.workers.WorkerSettings;
import java.net.URI;
import java.time.Duration;

/**
 * A worker in a child JVM for the kill test: args are the bootstrap servers, the topic prefix and
 * the simulator's base URL. Prints {@link #CALLING} when it calls the provider, then runs until
 * killed.
 */
public final class WorkerMain {
  public static final String CALLING = "CALLING-PROVIDER";

  private WorkerMain() {}

  public static WorkerSettings settings(String bootstrap, String prefix) {
    return WorkerSettings.builder(bootstrap, prefix, "openai")
        .concurrency(1)
        .consumersPerLane(1)
        .lockDuration(Duration.ofSeconds(2))
        .shutdownTimeout(Duration.ofSeconds(1))
        .build();
  }

  public static void main(String[] args) throws InterruptedException {
    SimulatorProvider provider =
        new SimulatorProvider(
            URI.create(args[2]),
            request -> {
              System.out.println(CALLING);
              System.out.flush();
            });
    WorkerPool pool = WorkerPool.start(settings(args[0], args[1]), provider);
    Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
    Thread.currentThread().join();
  }
}
