package io.sluice.jobapi.bulk;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * IDs of files ({@code file-} and 24 hex digits, as OpenAI's look) and batches ({@code batch_} and
 * 32 hex digits, time-ordered like job IDs so a listing by ID follows creation).
 */
public final class BulkIds {
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern FILE = Pattern.compile("file-[0-9a-f]{24}");
  private static final Pattern BATCH = Pattern.compile("batch_[0-9a-f]{32}");
  private final Clock clock;
  private final SecureRandom random;

  public BulkIds(Clock clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  public String nextFile() {
    return "file-" + HEX.formatHex(timeOrdered(12));
  }

  public String nextBatch() {
    return "batch_" + HEX.formatHex(timeOrdered(16));
  }

  private byte[] timeOrdered(int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    long millis = clock.millis();
    for (int i = 0; i < 6; i++) {
      bytes[i] = (byte) (millis >>> (40 - 8 * i));
    }
    return bytes;
  }

  /** Whether {@code id} has the form of a file ID; another string names no file. */
  public static boolean isFileId(String id) {
    return id != null && FILE.matcher(id).matches();
  }

  /** Whether {@code id} has the form of a batch ID; another string names no batch. */
  public static boolean isBatchId(String id) {
    return id != null && BATCH.matcher(id).matches();
  }
}
