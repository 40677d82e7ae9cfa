package io.sluice.jobapi.job;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Makes job IDs: {@code job_} and 32 hex digits laid out like a UUID v7 (48-bit millisecond time,
 * then 74 random bits), so IDs sort roughly by creation time and are unguessable.
 */
public final class JobIds {
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern FORMAT = Pattern.compile("job_[0-9a-f]{32}");
  private final Clock clock;
  private final SecureRandom random;

  public JobIds(Clock clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  public String next() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    long millis = clock.millis();
    for (int i = 0; i < 6; i++) {
      bytes[i] = (byte) (millis >>> (40 - 8 * i));
    }
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x70);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    return "job_" + HEX.formatHex(bytes);
  }

  /** Whether {@code id} has the form of a job ID (a string of another form names no job). */
  public static boolean isWellFormed(String id) {
    return id != null && FORMAT.matcher(id).matches();
  }
}
