package io.sluice.jobapi.watch;

import io.sluice.jobapi.job.JobLookup;
import io.sluice.jobapi.watch.internal.ChangeListener;
import io.sluice.jobapi.watch.internal.ChangeNotifier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Waiting for jobs across every job-api instance. A status change is announced with PostgreSQL's
 * {@code NOTIFY} in the projection's transaction (delivered only if, and when, it commits) and
 * heard by every instance's one {@code LISTEN} connection: the instance that projected the event
 * need not be the one the client waits on (the events consumer group splits the partitions among
 * instances, so each instance projects only some jobs' events).
 */
public final class Watches {
  private static final int READ_THREADS = 4;

  private Watches() {}

  /** Starts listening on the database at {@code jdbcUrl}. */
  public static WatchParts on(String jdbcUrl, String user, String password, JobLookup lookup) {
    JobWatch watch = new JobWatch();
    ExecutorService reads = Executors.newFixedThreadPool(READ_THREADS, named("job-waits-read-"));
    ChangeListener listener = new ChangeListener(jdbcUrl, user, password, watch).start();
    AutoCloseable resources =
        () -> {
          listener.close();
          reads.shutdown();
          reads.awaitTermination(5, TimeUnit.SECONDS);
        };
    return new WatchParts(new ChangeNotifier(), new JobWaits(lookup, watch, reads), resources);
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + next.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
