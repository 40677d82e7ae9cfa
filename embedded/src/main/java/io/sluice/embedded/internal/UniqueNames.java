package io.sluice.embedded.internal;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names that are unique across test JVMs sharing a server and legal everywhere Sluice uses them:
 * Kafka topic names, consumer and share group ids, Streams application ids and unquoted PostgreSQL
 * identifiers ({@code [a-z_][a-z0-9_]*}, at most 63 bytes).
 */
public final class UniqueNames {

  private static final int MAX_PREFIX_LENGTH = 40;
  private static final int RANDOM_CHARS = 8;
  private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong COUNTER = new AtomicLong();

  private UniqueNames() {}

  public static String next(String prefix) {
    return sanitize(prefix)
        + "_"
        + Long.toString(COUNTER.incrementAndGet(), Character.MAX_RADIX)
        + randomChars();
  }

  static String sanitize(String prefix) {
    String lower = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT);
    StringBuilder clean = new StringBuilder();
    for (char c : lower.toCharArray()) {
      clean.append(isSafe(c) ? c : '_');
    }
    if (clean.isEmpty() || !(Character.isLetter(clean.charAt(0)) || clean.charAt(0) == '_')) {
      clean.insert(0, 'n');
    }
    return clean.length() > MAX_PREFIX_LENGTH
        ? clean.substring(0, MAX_PREFIX_LENGTH)
        : clean.toString();
  }

  private static boolean isSafe(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static String randomChars() {
    StringBuilder chars = new StringBuilder(RANDOM_CHARS);
    for (int i = 0; i < RANDOM_CHARS; i++) {
      chars.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return chars.toString();
  }
}
