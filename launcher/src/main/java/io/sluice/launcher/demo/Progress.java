package io.sluice.launcher.demo;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Shows how far a run has come: a redrawn bar on a terminal, a line every few seconds otherwise (CI
 * logs, pipes).
 */
final class Progress {
  private static final int WIDTH = 30;
  private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(2);

  private final PrintStream out;
  private final boolean terminal;
  private final Clock clock;
  private Instant lastPlainLine = Instant.MIN;

  Progress(PrintStream out, boolean terminal, Clock clock) {
    this.out = out;
    this.terminal = terminal;
    this.clock = clock;
  }

  void show(String label, int done, int total) {
    if (terminal) {
      out.print("\r" + line(label, done, total));
      out.flush();
    } else if (done == total || clock.instant().isAfter(lastPlainLine.plus(PLAIN_INTERVAL))) {
      lastPlainLine = clock.instant();
      out.println(line(label, done, total));
    }
  }

  void finish() {
    if (terminal) {
      out.println();
    }
  }

  static String line(String label, int done, int total) {
    int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
    return String.format(
        "%-10s [%s%s] %d/%d", label, "#".repeat(filled), " ".repeat(WIDTH - filled), done, total);
  }
}
