package io.sluice.bench.intake;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code sluice local} as a child JVM — the platform under test, in a process of its own so that
 * the load generator does not share its JVM: started on this JVM's {@code java} and class path
 * (less the benchmark's own classes, so the launcher's logging configuration applies) with the JVM
 * options {@code ./sluice local} gives it, a throwaway data directory and a free port. Its output
 * goes to a log file; its API URL and dev key are read from the {@code export} lines it prints, as
 * a user would paste them. Stopped with SIGTERM (also when the benchmark's JVM exits).
 */
public final class PlatformProcess implements AutoCloseable {
  /** What {@code scripts/java-opts.sh} gives {@code sluice local}. */
  public static final List<String> JVM_OPTIONS =
      List.of(
          "-Xmx1g",
          "-Xss1m",
          "-XX:+UseG1GC",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=30",
          "-XX:G1PeriodicGCInterval=60000");

  private static final String MAIN = "io.sluice.launcher.Sluice";
  private static final Pattern URL = Pattern.compile("^\\s*export .*SLUICE_URL=(\\S+).*$");
  private static final Pattern KEY = Pattern.compile("^\\s*export .*SLUICE_API_KEY=(\\S+).*$");
  private static final Pattern METRICS = Pattern.compile("^\\s*metrics\\s+(\\S+/metrics).*$");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path dataDir;
  private final Path log;
  private final List<String> command;
  private final CompletableFuture<URI> url = new CompletableFuture<>();
  private final CompletableFuture<String> key = new CompletableFuture<>();
  private final CompletableFuture<URI> metrics = new CompletableFuture<>();
  private final Thread shutdownHook;
  private volatile Runnable beforeExitStop = () -> {};
  private final AtomicBoolean signalled = new AtomicBoolean();

  private PlatformProcess(Process process, Path dataDir, Path log, List<String> command) {
    this.process = process;
    this.dataDir = dataDir;
    this.log = log;
    this.command = command;
    Thread.ofPlatform().daemon().name("sluice-local-output").start(this::copyOutput);
    this.shutdownHook = new Thread(this::terminateAndWait, "stop-sluice-local");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts {@code sluice local --data-dir <dataDir> --port 0}, its output into {@code log}. */
  public static PlatformProcess start(Path dataDir, Path log) {
    return start(dataDir, log, "1g");
  }

  /** The same with the heap bound {@code -Xmx<maxHeap>} instead of {@code ./sluice}'s 1g. */
  public static PlatformProcess start(Path dataDir, Path log, String maxHeap) {
    return start(dataDir, log, maxHeap, List.of());
  }

  /** The same with more {@code sluice local} options ({@code --profile openai-tier1}, ...). */
  public static PlatformProcess start(
      Path dataDir, Path log, String maxHeap, List<String> localOptions) {
    return start(dataDir, log, maxHeap, localOptions, Map.of());
  }

  /** The same with variables added to the child's environment (this JVM's otherwise). */
  public static PlatformProcess start(
      Path dataDir,
      Path log,
      String maxHeap,
      List<String> localOptions,
      Map<String, String> environment) {
    List<String> command = new ArrayList<>();
    command.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    JVM_OPTIONS.stream()
        .map(option -> option.startsWith("-Xmx") ? "-Xmx" + maxHeap : option)
        .forEach(command::add);
    if (Runtime.version().feature() >= 24) {
      command.add("--sun-misc-unsafe-memory-access=allow");
      command.add("--enable-native-access=ALL-UNNAMED");
    }
    command.addAll(List.of("-cp", platformClassPath(), MAIN, "local"));
    command.addAll(List.of("--data-dir", dataDir.toString(), "--port", "0"));
    command.addAll(localOptions);
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process = builder.start();
      return new PlatformProcess(process, dataDir, log, command);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start sluice local", e);
    }
  }

  /** This JVM's class path without the benchmark's own classes (its logback.xml among them). */
  static String platformClassPath() {
    String own = ownLocation();
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !samePath(entry, own))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String ownLocation() {
    try {
      return Path.of(
              PlatformProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (URISyntaxException | RuntimeException e) {
      return "";
    }
  }

  private static boolean samePath(String entry, String own) {
    return !own.isEmpty() && Path.of(entry).toAbsolutePath().normalize().equals(Path.of(own));
  }

  private void copyOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.write(line);
        out.newLine();
        out.flush();
        match(URL, line).ifPresent(value -> url.complete(URI.create(value)));
        match(KEY, line).ifPresent(key::complete);
        match(METRICS, line).ifPresent(value -> metrics.complete(URI.create(value)));
      }
    } catch (IOException e) {
      // the process is gone; its log ends here
    } finally {
      url.completeExceptionally(new IllegalStateException("sluice local exited; see " + log));
      key.completeExceptionally(new IllegalStateException("sluice local exited; see " + log));
      metrics.completeExceptionally(new IllegalStateException("sluice local exited; see " + log));
    }
  }

  private static Optional<String> match(Pattern pattern, String line) {
    Matcher matcher = pattern.matcher(line);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** Waits for the banner; the API's URL. */
  public URI awaitApi(Duration timeout) throws InterruptedException {
    try {
      URI api = url.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      key.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return api;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "sluice local did not print its API within " + timeout + "; see " + log, e);
    }
  }

  /** The dev API key it printed. */
  public String apiKey() {
    return key.getNow(null);
  }

  /** The platform's Prometheus page (every component's series); known once the API is. */
  public URI metricsUrl() {
    return metrics.join();
  }

  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path log() {
    return log;
  }

  public List<String> command() {
    return command;
  }

  /** CPU seconds (user + system) its JVM has used so far. */
  public double jvmCpuSeconds() {
    return ProcessCpu.seconds(process.pid());
  }

  /**
   * SIGTERM, then waits for its ordered stop; SIGKILL if it takes too long. The exit code. Sends
   * one SIGTERM only, whoever calls (a second one would make it exit at once, unordered).
   */
  public int stop() throws InterruptedException {
    if (signalled.compareAndSet(false, true)) {
      process.toHandle().destroy();
    }
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }

  /**
   * What the JVM's exit (Ctrl-C, SIGTERM of the benchmark) does before it stops the platform: halt
   * the load, so that the platform is not stopped under it.
   */
  public void beforeExitStop(Runnable action) {
    beforeExitStop = action;
  }

  private void terminateAndWait() {
    if (!process.isAlive()) {
      return;
    }
    beforeExitStop.run();
    try {
      stop();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already: the hook runs (and finds the process gone)
    }
  }
}
