package io.sluice.jobapi.bulk;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits and timing of the Files and Batches API.
 *
 * @param maxFileBytes the largest file an upload may carry; a larger one is refused with 413 while
 *     it streams in, and nothing of it is kept
 * @param maxLineBytes the largest line of a batch input file; a longer one is a line error
 * @param maxLines the most lines (requests) one batch may have
 * @param progressInterval how often open batches are checked for their end (and cancels sent)
 */
public record BulkSettings(
    long maxFileBytes, int maxLineBytes, int maxLines, Duration progressInterval) {
  public static final long DEFAULT_MAX_FILE_BYTES = 512L * 1024 * 1024;
  public static final int DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
  public static final int DEFAULT_MAX_LINES = 1_000_000;
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(1);

  /** What an upload's body may carry beside its file: the form's framing and its other parts. */
  public static final long FORM_ALLOWANCE_BYTES = 1024 * 1024;

  public static BulkSettings defaults() {
    return new BulkSettings(
        DEFAULT_MAX_FILE_BYTES,
        DEFAULT_MAX_LINE_BYTES,
        DEFAULT_MAX_LINES,
        DEFAULT_PROGRESS_INTERVAL);
  }

  public BulkSettings withMaxFileBytes(long value) {
    return new BulkSettings(value, maxLineBytes, maxLines, progressInterval);
  }

  public BulkSettings withMaxLineBytes(int value) {
    return new BulkSettings(maxFileBytes, value, maxLines, progressInterval);
  }

  public BulkSettings withMaxLines(int value) {
    return new BulkSettings(maxFileBytes, maxLineBytes, value, progressInterval);
  }

  public BulkSettings withProgressInterval(Duration value) {
    return new BulkSettings(maxFileBytes, maxLineBytes, maxLines, value);
  }

  /** What is wrong with these settings, each naming its key; empty when they are usable. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (maxFileBytes < 1024 || maxFileBytes > 8L * 1024 * 1024 * 1024) {
      problems.add("bulk.maxFileBytes must be 1024 to 8589934592, was " + maxFileBytes);
    }
    if (maxLineBytes < 1024 || maxLineBytes > 64 * 1024 * 1024) {
      problems.add("bulk.maxLineBytes must be 1024 to 67108864, was " + maxLineBytes);
    }
    if (maxLines < 1) {
      problems.add("bulk.maxLines must be at least 1, was " + maxLines);
    }
    if (progressInterval == null
        || progressInterval.isNegative()
        || progressInterval.isZero()
        || progressInterval.compareTo(Duration.ofMinutes(1)) > 0) {
      problems.add("bulk.progressInterval must be more than 0 and at most 1 min");
    }
    return problems;
  }

  /** The largest upload body: the file limit and the form's allowance. */
  public long maxUploadBytes() {
    return maxFileBytes + FORM_ALLOWANCE_BYTES;
  }
}
