package io.sluice.embedded.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A postmaster left running on a persistent data directory by a process that was killed before it
 * could stop it. Such a server holds the directory, so a new start would fail; it is stopped first.
 */
public final class StalePostmaster {

  private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private StalePostmaster() {}

  public static void stopIfRunning(Path pgData) {
    runningPostmaster(pgData).ifPresent(StalePostmaster::stop);
  }

  private static Optional<ProcessHandle> runningPostmaster(Path pgData) {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    return readPid(pidFile)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(StalePostmaster::isPostgres);
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + pidFile, e);
    }
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process.info().command().map(command -> command.endsWith("/postgres")).orElse(false);
  }

  private static void stop(ProcessHandle postmaster) {
    log.warn("Stopping PostgreSQL (pid {}) left running by an earlier process", postmaster.pid());
    CompletableFuture<ProcessHandle> exited = postmaster.onExit();
    postmaster.destroy();
    try {
      exited.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("PostgreSQL (pid {}) ignored SIGTERM; killing it", postmaster.pid());
      postmaster.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping a stale PostgreSQL", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not stop stale PostgreSQL " + postmaster.pid(), e);
    }
  }
}
