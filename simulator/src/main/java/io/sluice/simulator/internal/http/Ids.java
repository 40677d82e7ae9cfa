package io.sluice.simulator.internal.http;

import java.util.concurrent.ThreadLocalRandom;

/** Provider-looking IDs: a prefix and random letters and digits. */
public final class Ids {
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private Ids() {}

  /** {@code prefix} followed by {@code length} random characters. */
  public static String next(String prefix, int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder out = new StringBuilder(prefix);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET[random.nextInt(ALPHABET.length)]);
    }
    return out.toString();
  }

  /** {@code prefix} followed by 24 random characters. */
  public static String next(String prefix) {
    return next(prefix, 24);
  }
}
