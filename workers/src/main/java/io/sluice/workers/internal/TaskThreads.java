package io.sluice.workers.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/** The virtual threads that run started tasks: the one owner of which thread runs which task. */
final class TaskThreads {
  private final ThreadFactory factory = Thread.ofVirtual().name("sluice-task-", 0).factory();
  private final Map<HeldTask, Thread> running = new ConcurrentHashMap<>();

  /** Runs {@code work} for {@code task} on a new virtual thread. */
  void start(HeldTask task, Runnable work) {
    Thread thread =
        factory.newThread(
            () -> {
              try {
                work.run();
              } finally {
                running.remove(task);
              }
            });
    running.put(task, thread);
    thread.start();
  }

  /** Interrupts the task's thread, if it still runs (shutdown). */
  void interrupt(HeldTask task) {
    Thread thread = running.get(task);
    if (thread != null) {
      thread.interrupt();
    }
  }

  int size() {
    return running.size();
  }
}
