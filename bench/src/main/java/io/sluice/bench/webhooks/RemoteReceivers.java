package io.sluice.bench.webhooks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's side of a {@link ReceiverProcess}: starts it on this JVM's class path (a small
 * heap, the serial collector) and asks it for its receipts.
 */
public final class RemoteReceivers implements AutoCloseable {
  private final Process process;
  private final PrintStream commands;
  private final BufferedReader answers;
  private final Map<String, URI> urls = new HashMap<>();

  private RemoteReceivers(Process process) throws IOException {
    this.process = process;
    this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (int i = 0; i < 2; i++) {
      String[] line = readLine().split(" ", 2);
      urls.put(line[0], URI.create(line[1]));
    }
  }

  /** Starts the receivers' process; the slow one answers after {@code slowAnswer}. */
  public static RemoteReceivers start(Duration slowAnswer) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                ReceiverProcess.class.getName(),
                Long.toString(slowAnswer.toMillis()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    return new RemoteReceivers(process);
  }

  /** The URL of the {@code fast} or the {@code slow} receiver. */
  public URI url(String receiver) {
    return urls.get(receiver);
  }

  public synchronized int count(String receiver) throws IOException {
    commands.println("count " + receiver);
    return Integer.parseInt(readLine());
  }

  public synchronized List<Receipt> receipts(String receiver) throws IOException {
    commands.println("receipts " + receiver);
    List<Receipt> receipts = new ArrayList<>();
    for (String line = readLine(); !line.equals("end"); line = readLine()) {
      receipts.add(parse(line));
    }
    return receipts;
  }

  /** Forgets every receipt so far. */
  public synchronized void clear() throws IOException {
    commands.println("clear");
    readLine();
  }

  /** A receipt as one line: webhook-id, job ID, finish time ({@code -}: none), receipt time. */
  static String line(Receipt receipt) {
    return receipt.webhookId()
        + " "
        + receipt.jobId()
        + " "
        + (receipt.finishedAt() == null ? "-" : receipt.finishedAt().toString())
        + " "
        + receipt.receivedAt();
  }

  private static Receipt parse(String line) {
    String[] parts = line.split(" ");
    return new Receipt(
        parts[0],
        parts[1],
        parts[2].equals("-") ? null : Instant.parse(parts[2]),
        Instant.parse(parts[3]));
  }

  private String readLine() throws IOException {
    String line = answers.readLine();
    if (line == null) {
      throw new IOException("the receivers' process ended (exit " + exitValue() + ")");
    }
    return line;
  }

  private String exitValue() {
    return process.isAlive() ? "none yet" : Integer.toString(process.exitValue());
  }

  @Override
  public void close() {
    commands.close();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
