package io.sluice.bench.deferred;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The nightly run's batch-submitter JVM, seen from the benchmark: start, memory, stop. */
public final class BatchSubmitterProcess implements AutoCloseable {
  /** The child's heap bound: a production-like limit, so the peak RSS means something. */
  static final String MAX_HEAP = "-Xmx512m";

  private final Process process;
  private final CountDownLatch ready = new CountDownLatch(1);
  private volatile boolean started;

  private BatchSubmitterProcess(Process process) {
    this.process = process;
    Thread.ofVirtual().name("batch-submitter-out").start(this::readLines);
  }

  /**
   * Starts the batch-submitter JVM on the current java and class path; its stderr (its log) goes to
   * {@code log}.
   */
  public static BatchSubmitterProcess start(
      String bootstrap,
      String jdbcUrl,
      String dbUser,
      String dbPassword,
      String simulatorUrl,
      String prefix,
      Duration linger,
      Duration poll,
      Path log) {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(
        List.of(
            MAX_HEAP,
            "-XX:+UseSerialGC",
            "--sun-misc-unsafe-memory-access=allow",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            BatchSubmitterMain.class.getName(),
            bootstrap,
            jdbcUrl,
            dbUser,
            simulatorUrl,
            prefix,
            Long.toString(linger.toMillis()),
            Long.toString(poll.toMillis())));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put(BatchSubmitterMain.PASSWORD_ENV, dbPassword);
    try {
      return new BatchSubmitterProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the batch-submitter process", e);
    }
  }

  /** Waits until the batch-submitter runs; fails if it died or took too long. */
  public void awaitReady(Duration timeout) throws InterruptedException {
    if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || !started) {
      throw new IllegalStateException(
          "the batch-submitter did not start within "
              + timeout
              + " (alive: "
              + process.isAlive()
              + "; see its log)");
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Its peak resident set size so far ({@code VmHWM}), in KiB; -1 once it is gone. */
  public long peakRssKib() {
    return status("VmHWM:");
  }

  /** Its resident set size now ({@code VmRSS}), in KiB; -1 once it is gone. */
  public long rssKib() {
    return status("VmRSS:");
  }

  private long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Asks it to stop and waits; kills it if it does not exit in time. */
  @Override
  public void close() throws InterruptedException {
    try (Writer in = process.outputWriter(StandardCharsets.UTF_8)) {
      in.write("stop\n");
    } catch (IOException e) {
      // gone already
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private void readLines() {
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.equals(BatchSubmitterMain.READY)) {
          started = true;
          ready.countDown();
        }
      }
    } catch (IOException e) {
      // the stream closes when the process dies
    } finally {
      ready.countDown();
    }
  }
}
