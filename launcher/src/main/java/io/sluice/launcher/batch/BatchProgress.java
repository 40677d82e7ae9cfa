package io.sluice.launcher.batch;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * A batch's progress as the CLI shows it while waiting: on a terminal one line redrawn in place
 * (bar, counts, rate, cost, time left); elsewhere (pipes, CI logs) a plain line every few seconds
 * and whenever the status changes. The rate is measured over the last {@link #RATE_WINDOW}, so a
 * stall shows at once instead of being averaged away.
 */
final class BatchProgress {
  static final Duration RATE_WINDOW = Duration.ofSeconds(20);
  private static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
  private static final int BAR = 24;
  private static final BigDecimal CENT = new BigDecimal("0.01");

  private record Sample(Instant at, long done) {}

  private final PrintWriter out;
  private final boolean terminal;
  private final Clock clock;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private Instant lastPlainLine = Instant.MIN;
  private String lastStatus = "";
  private int lastWidth;

  BatchProgress(PrintWriter out, boolean terminal, Clock clock) {
    this.out = out;
    this.terminal = terminal;
    this.clock = clock;
  }

  void show(BatchSnapshot batch) {
    Instant now = clock.instant();
    samples.addLast(new Sample(now, batch.done()));
    while (samples.size() > 2 && samples.peekFirst().at().isBefore(now.minus(RATE_WINDOW))) {
      samples.removeFirst();
    }
    String line = line(batch, ratePerSecond());
    if (terminal) {
      out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
      lastWidth = line.length();
      out.flush();
    } else if (!batch.status().equals(lastStatus)
        || !now.isBefore(lastPlainLine.plus(PLAIN_INTERVAL))) {
      out.println(line);
      out.flush();
      lastPlainLine = now;
    }
    lastStatus = batch.status();
  }

  /** Ends the redrawn line so what follows starts on its own. */
  void finish() {
    if (terminal && lastWidth > 0) {
      out.println();
    }
  }

  /** Requests finished per second over the rate window; 0 before two samples exist. */
  double ratePerSecond() {
    if (samples.size() < 2) {
      return 0;
    }
    Sample first = samples.peekFirst();
    Sample last = samples.peekLast();
    long millis = Duration.between(first.at(), last.at()).toMillis();
    return millis <= 0 ? 0 : (last.done() - first.done()) * 1000.0 / millis;
  }

  static String line(BatchSnapshot batch, double rate) {
    long total = batch.total();
    long done = batch.done();
    int filled = total == 0 ? 0 : (int) Math.min(BAR, done * BAR / total);
    StringBuilder line =
        new StringBuilder()
            .append(String.format(Locale.ROOT, "%-11s ", batch.status()))
            .append('[')
            .append("#".repeat(filled))
            .append(" ".repeat(BAR - filled))
            .append("] ")
            .append(String.format(Locale.ROOT, "%,d/%,d", done, total));
    if (total > 0) {
      line.append(String.format(Locale.ROOT, " %3d%%", done * 100 / total));
    }
    line.append(
        String.format(Locale.ROOT, "  ok %,d  failed %,d", batch.completed(), batch.failed()));
    line.append(String.format(Locale.ROOT, rate >= 10 ? "  %,.0f/s" : "  %.1f/s", rate));
    batch.costUsd().ifPresent(cost -> line.append("  ").append(dollars(cost)));
    if (!batch.ended() && total > done) {
      line.append("  ETA ").append(rate > 0 ? duration((long) ((total - done) / rate)) : "--");
    }
    return line.toString();
  }

  /** Four decimals, six under a cent (a small run's cost would read $0.0000). */
  static String dollars(BigDecimal cost) {
    int scale = cost.abs().compareTo(CENT) < 0 ? 6 : 4;
    return "$" + cost.setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }

  static String duration(long seconds) {
    long hours = seconds / 3600;
    long minutes = seconds % 3600 / 60;
    long secs = seconds % 60;
    return hours > 0
        ? String.format(Locale.ROOT, "%dh%02dm", hours, minutes)
        : String.format(Locale.ROOT, "%dm%02ds", minutes, secs);
  }
}
