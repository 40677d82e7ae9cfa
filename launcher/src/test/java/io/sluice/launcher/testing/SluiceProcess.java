package io.sluice.launcher.testing;

import static org.awaitility.Awaitility.await;

import io.sluice.launcher.Sluice;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code sluice} command ({@code local}, {@code serve ...}) or another main class as a child JVM,
 * as a user or a container runs it: its output (stdout and stderr together) is collected line by
 * line, {@code sluice local}'s API URL and key are read from the {@code export} lines it prints,
 * and it is stopped with a real SIGTERM or SIGKILL.
 */
public final class SluiceProcess implements AutoCloseable {
  /** A log line at WARN or ERROR in the launcher's log format. */
  public static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+ +(WARN|ERROR) .*");

  private static final Pattern URL = Pattern.compile("^\\s*export .*SLUICE_URL=(\\S+).*$");
  private static final Pattern KEY = Pattern.compile("^\\s*export .*SLUICE_API_KEY=(\\S+).*$");

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private SluiceProcess(Process process) {
    this.process = process;
    this.reader = Thread.ofPlatform().daemon().name("sluice-local-output").start(this::read);
  }

  /**
   * Starts {@code sluice local} on a free API port.
   *
   * @param classpath the child's classpath (the tests' own, or a built distribution's {@code
   *     lib/*})
   * @param jvmOptions e.g. {@code -Xmx512m}
   */
  public static SluiceProcess local(Path dataDir, String classpath, List<String> jvmOptions) {
    return start(
        classpath,
        jvmOptions,
        Map.of(),
        Sluice.class.getName(),
        List.of(
            "local", "--data-dir", dataDir.toString(), "--port", "0", "--management-port", "0"));
  }

  /** {@code sluice local} on the tests' classpath. */
  public static SluiceProcess local(Path dataDir, List<String> jvmOptions) {
    return local(dataDir, testClasspath(), jvmOptions);
  }

  /** {@code sluice <arguments>} on the tests' classpath with these environment variables. */
  public static SluiceProcess sluice(Map<String, String> environment, String... arguments) {
    return start(
        testClasspath(), List.of(), environment, Sluice.class.getName(), List.of(arguments));
  }

  /** Any main class on the tests' classpath. */
  public static SluiceProcess main(Class<?> mainClass, String... arguments) {
    return start(testClasspath(), List.of(), Map.of(), mainClass.getName(), List.of(arguments));
  }

  public static String testClasspath() {
    return System.getProperty("java.class.path");
  }

  /** JVM options every child gets: no warnings of JDK 24+ about Kafka's use of sun.misc.Unsafe. */
  public static List<String> quietJvm(List<String> options) {
    List<String> all = new ArrayList<>(options);
    if (Runtime.version().feature() >= 24) {
      all.add("--sun-misc-unsafe-memory-access=allow");
      all.add("--enable-native-access=ALL-UNNAMED");
    }
    return all;
  }

  private static SluiceProcess start(
      String classpath,
      List<String> jvmOptions,
      Map<String, String> environment,
      String mainClass,
      List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(quietJvm(jvmOptions));
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // a free management port: several processes run at once, and 9090 may be anyone's
    builder.environment().put("SLUICE_MANAGEMENT_PORT", "0");
    builder.environment().putAll(environment);
    try {
      return new SluiceProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + arguments, e);
    }
  }

  private void read() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("[test] output stream closed: " + e.getMessage());
    }
  }

  /** Waits for a line containing {@code text}, e.g. {@code READY}. */
  public void awaitLine(String text, Duration timeout) {
    try {
      await("a line with '" + text + "'")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .failFast("the process exited", () -> !process.isAlive())
          .until(() -> lines.stream().anyMatch(line -> line.contains(text)));
    } catch (RuntimeException e) {
      throw new AssertionError(e.getMessage() + "; its output:\n" + output(), e);
    }
  }

  /** Waits for {@code sluice local}'s banner and returns the API URL it printed. */
  public URI awaitApi(Duration timeout) {
    try {
      await("sluice local to print its API URL")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(100))
          .failFast("sluice local exited", () -> !process.isAlive())
          .until(() -> find(KEY).isPresent());
    } catch (RuntimeException e) {
      throw new AssertionError(e.getMessage() + "; its output:\n" + output(), e);
    }
    return URI.create(find(URL).orElseThrow());
  }

  public String apiKey() {
    return find(KEY).orElseThrow();
  }

  private Optional<String> find(Pattern pattern) {
    for (String line : lines) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.matches()) {
        return Optional.of(matcher.group(1));
      }
    }
    return Optional.empty();
  }

  public long pid() {
    return process.pid();
  }

  /** The peak resident set size so far (VmHWM), in KiB. */
  public long peakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      throw new IllegalStateException("no VmHWM in /proc/" + pid() + "/status");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends SIGTERM. Through the process handle: {@link Process#destroy()} would also close our end
   * of its output, and we want to read what it logs while it stops.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Sends SIGKILL and waits for the process to be gone. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor();
  }

  /** The exit code, or empty when it has not exited within the timeout. */
  public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return Optional.empty();
    }
    reader.join(Duration.ofSeconds(5));
    return Optional.of(process.exitValue());
  }

  /** Every line printed so far. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** The WARN and ERROR lines from line {@code from} on. */
  public List<String> warningsFrom(int from) {
    List<String> all = lines();
    return all.subList(Math.min(from, all.size()), all.size()).stream()
        .filter(line -> WARN_OR_ERROR.matcher(line).matches())
        .toList();
  }

  /** The whole output, for a failure message. */
  public String output() {
    return String.join(System.lineSeparator(), lines);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
