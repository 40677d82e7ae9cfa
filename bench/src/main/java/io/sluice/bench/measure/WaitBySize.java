package io.sluice.bench.measure;

import io.sluice.bench.scenario.Limits;
import io.sluice.schemas.model.LimitStyle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Limiter wait by prompt size (issue 15, must-hold 3): every task's wait from its record being read
 * to its admission, as the workers' {@code TaskProcessor} logs it at DEBUG, grouped by the prompt's
 * input tokens. Each group is set against the wait the prompt's own size forces on an otherwise
 * idle account: its largest prompt's tokens at the binding token limit's rate.
 *
 * @param buckets the groups, smallest prompts first; empty groups are left out
 */
public record WaitBySize(List<Bucket> buckets) {

  /** The upper bounds (exclusive) of the groups; the last group takes everything above. */
  static final int[] BOUNDS = {1_000, 2_000, 3_000};

  private static final Pattern ADMITTED =
      Pattern.compile("admitted (\\d+) ms after it was read \\(estimated input (\\d+) tokens\\)");

  /**
   * One group of prompts.
   *
   * @param label the prompt sizes, for example {@code "1000-1999"}
   * @param count tasks admitted
   * @param p50Seconds median wait
   * @param p90Seconds 90th percentile
   * @param p99Seconds 99th percentile (nearest rank)
   * @param maxSeconds longest wait
   * @param ownSizeSeconds the wait the group's largest prompt forces at the token limit's rate
   * @param p99OverOwnSize {@code p99Seconds / ownSizeSeconds}
   */
  public record Bucket(
      String label,
      int count,
      double p50Seconds,
      double p90Seconds,
      double p99Seconds,
      double maxSeconds,
      double ownSizeSeconds,
      double p99OverOwnSize) {}

  /** One admitted task: its wait and its prompt's input tokens. */
  record Admission(long waitMillis, long inputTokens) {}

  /** Reads the admission lines of every log and groups them against {@code limits}. */
  public static WaitBySize fromLogs(List<Path> logs, Limits limits) {
    List<Admission> admissions = new ArrayList<>();
    for (Path log : logs) {
      try (Stream<String> lines = Files.lines(log)) {
        lines.map(WaitBySize::parse).flatMap(Stream::ofNullable).forEach(admissions::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + log, e);
      }
    }
    return of(admissions, tokensPerSecond(limits));
  }

  static Admission parse(String line) {
    Matcher m = ADMITTED.matcher(line);
    return m.find() ? new Admission(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))) : null;
  }

  /** The binding token limit's rate: OpenAI's tokens, else input tokens, per second. */
  static double tokensPerSecond(Limits limits) {
    long perMinute =
        limits.accounting() == LimitStyle.REQUESTS_AND_TOKENS ? limits.tpm() : limits.itpm();
    return perMinute / 60.0;
  }

  static WaitBySize of(List<Admission> admissions, double tokensPerSecond) {
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i <= BOUNDS.length; i++) {
      long from = i == 0 ? 0 : BOUNDS[i - 1];
      long to = i < BOUNDS.length ? BOUNDS[i] : Long.MAX_VALUE;
      List<Admission> group =
          admissions.stream().filter(a -> a.inputTokens() >= from && a.inputTokens() < to).toList();
      if (group.isEmpty()) {
        continue;
      }
      double[] waits = group.stream().mapToDouble(a -> a.waitMillis() / 1000.0).sorted().toArray();
      long largest = group.stream().mapToLong(Admission::inputTokens).max().orElseThrow();
      double ownSize = largest / tokensPerSecond;
      double p99 = rank(waits, 0.99);
      String label = i < BOUNDS.length ? from + "-" + (to - 1) : from + "+";
      buckets.add(
          new Bucket(
              label,
              waits.length,
              rank(waits, 0.50),
              rank(waits, 0.90),
              p99,
              waits[waits.length - 1],
              ownSize,
              ownSize > 0 ? p99 / ownSize : Double.NaN));
    }
    return new WaitBySize(List.copyOf(buckets));
  }

  /** Nearest-rank percentile of sorted values. */
  static double rank(double[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.clamp(index, 0, sorted.length - 1)];
  }
}
