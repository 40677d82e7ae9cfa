package io.sluice.jobapi.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: many callers' small units of work committed together in one PostgreSQL transaction,
 * so that a burst of requests pays for one commit (one WAL flush) and one round trip per statement
 * instead of one of each per request.
 *
 * <p>A caller's {@link #commit} blocks until its item is committed, exactly as if it had run its
 * own transaction: when it returns, the item is durable; when it throws, nothing of the item was
 * written. Committer threads take whatever is waiting (at most {@code maxBatch}) the moment they
 * are free, so there is no added delay: under light load a batch holds one item, under heavy load
 * items wait for the commit before them and go together. A batch that fails is retried one item per
 * transaction, so an item the database refuses fails alone and the others still commit.
 *
 * @param <T> an item of work
 * @param <R> what committing one item returns
 */
public final class GroupCommit<T, R> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  /** Writes a batch of items inside one open transaction; one result per item, in order. */
  @FunctionalInterface
  public interface BatchWork<T, R> {
    List<R> write(Connection connection, List<T> items) throws SQLException;
  }

  /** How many committer threads, and the most items one transaction takes. */
  public record Settings(int committers, int maxBatch, int queueCapacity) {
    public static final Settings DEFAULT = new Settings(2, 256, 8_192);

    public Settings {
      if (committers < 1 || maxBatch < 1 || queueCapacity < maxBatch) {
        throw new IllegalArgumentException(
            "group commit needs committers >= 1, maxBatch >= 1 and queueCapacity >= maxBatch");
      }
    }
  }

  private record Pending<T, R>(T item, CompletableFuture<R> result) {}

  private final String name;
  private final Database database;
  private final BatchWork<T, R> work;
  private final Settings settings;
  private final BlockingQueue<Pending<T, R>> queue;
  private final List<Thread> committers = new ArrayList<>();
  private volatile boolean closed;

  public GroupCommit(String name, Database database, BatchWork<T, R> work, Settings settings) {
    this.name = Objects.requireNonNull(name, "name");
    this.database = Objects.requireNonNull(database, "database");
    this.work = Objects.requireNonNull(work, "work");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    for (int i = 0; i < settings.committers(); i++) {
      Thread thread =
          Thread.ofPlatform().name("sluice-" + name + "-commit-" + i).unstarted(this::run);
      committers.add(thread);
      thread.start();
    }
  }

  /**
   * Commits {@code item} (with others waiting at the same time) and returns its result.
   *
   * @throws DatabaseException when the database failed the item's transaction (nothing written)
   * @throws GroupCommitClosedException when the group commit is closing (nothing written)
   * @throws RuntimeException whatever the work threw for this item (nothing written)
   */
  public R commit(T item) {
    Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
    enqueue(pending);
    try {
      return pending.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void enqueue(Pending<T, R> pending) {
    try {
      while (!queue.offer(pending, 100, TimeUnit.MILLISECONDS)) {
        if (closed) {
          throw new GroupCommitClosedException(name);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GroupCommitClosedException(name);
    }
    // An item queued as close() drained the queue for the last time is refused here, not lost.
    if (closed && queue.remove(pending)) {
      throw new GroupCommitClosedException(name);
    }
  }

  private void run() {
    List<Pending<T, R>> batch = new ArrayList<>(settings.maxBatch());
    while (true) {
      try {
        Pending<T, R> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, settings.maxBatch() - 1);
        commitBatch(batch);
      } catch (InterruptedException e) {
        failAll(batch, new GroupCommitClosedException(name));
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        // Not expected (commitBatch settles every item); never leave a caller waiting.
        failAll(batch, new GroupCommitClosedException(name));
        LOG.error("{} committer failed unexpectedly: {}", name, e.getClass().getName());
      } finally {
        batch.clear();
      }
    }
  }

  private void commitBatch(List<Pending<T, R>> batch) {
    List<T> items = batch.stream().map(Pending::item).toList();
    List<R> results;
    try {
      results = database.inTransaction(connection -> work.write(connection, items));
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.getFirst().result().completeExceptionally(e);
      } else {
        commitOneByOne(batch);
      }
      return;
    }
    if (results.size() != batch.size()) {
      throw new IllegalStateException(
          name + " work returned " + results.size() + " results for " + batch.size() + " items");
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(results.get(i));
    }
  }

  private void commitOneByOne(List<Pending<T, R>> batch) {
    for (Pending<T, R> pending : batch) {
      try {
        List<R> result =
            database.inTransaction(connection -> work.write(connection, List.of(pending.item())));
        pending.result().complete(result.getFirst());
      } catch (RuntimeException e) {
        pending.result().completeExceptionally(e);
      }
    }
  }

  private static <T, R> void failAll(List<Pending<T, R>> batch, RuntimeException failure) {
    batch.forEach(pending -> pending.result().completeExceptionally(failure));
  }

  /** Items queued and not yet taken by a committer; for tests. */
  int waiting() {
    return queue.size();
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Stops taking items, commits every item already queued, and waits for the committers to end.
   * Callers still arriving get {@link GroupCommitClosedException}.
   */
  @Override
  public void close() {
    closed = true;
    for (Thread thread : committers) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    List<Pending<T, R>> left = new ArrayList<>();
    queue.drainTo(left);
    failAll(left, new GroupCommitClosedException(name));
  }
}
