package io.sluice.launcher.process;

import io.sluice.lifecycle.Lifecycle;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How a long-running {@code sluice} command ends. SIGTERM or SIGINT (Ctrl-C) asks it to stop: the
 * waiting thread closes the process's {@link Lifecycle} in order and the command exits 0. A
 * component that can no longer work {@link #fail fails} the process: the same ordered stop, exit 1.
 * A second signal during the stop ends the process at once.
 *
 * <p>Signals are taken over from the JVM (whose own handling would run every shutdown hook at once
 * and exit 143); the lifecycle's shutdown hook stays as the backstop for every other exit.
 */
public final class ProcessStop {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessStop.class);
  public static final int STOPPED = 0;
  public static final int FAILED = 1;

  private final CountDownLatch requested = new CountDownLatch(1);
  private volatile int exitCode = STOPPED;

  private ProcessStop() {}

  /** A stop that SIGTERM and SIGINT request. */
  public static ProcessStop onSignals() {
    ProcessStop stop = new ProcessStop();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), stop::signalled);
      } catch (IllegalArgumentException e) {
        LOG.debug("SIG{} stays with the JVM ({}); the shutdown hook stops the process", name, e);
      }
    }
    return stop;
  }

  /** A stop that only {@link #request} and {@link #fail} trigger (tests). */
  public static ProcessStop manual() {
    return new ProcessStop();
  }

  private void signalled(Signal signal) {
    if (requested.getCount() == 0) {
      LOG.warn("SIG{} again while stopping: exiting now", signal.getName());
      Runtime.getRuntime().halt(128 + signal.getNumber());
    }
    LOG.info("SIG{} received: stopping", signal.getName());
    request();
  }

  /** Asks for an orderly stop with exit code 0. */
  public void request() {
    requested.countDown();
  }

  /**
   * Asks for an orderly stop with exit code 1, because a component cannot do its work.
   *
   * @param reason what failed, as an operator reads it (no job data)
   */
  public void fail(String reason) {
    LOG.error("{}: stopping with exit code {}", reason, FAILED);
    exitCode = FAILED;
    requested.countDown();
  }

  /** Waits until a stop is asked for, closes the lifecycle and returns the exit code. */
  public int awaitThenClose(Lifecycle lifecycle) throws InterruptedException {
    requested.await();
    lifecycle.close();
    return exitCode;
  }
}
