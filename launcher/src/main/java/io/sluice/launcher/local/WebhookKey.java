package io.sluice.launcher.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that encrypts the webhook signing secrets of {@code sluice local} in its database: 32
 * random bytes, base64, created on the first start in the data directory (readable only by its
 * owner) and read at every later start, so the secrets stored under it stay readable across
 * restarts. A served job-api gets its key from {@code SLUICE_WEBHOOK_SECRET_KEY} instead.
 */
final class WebhookKey {
  static final String FILE = "webhook-secret.key";
  private static final int KEY_BYTES = 32;

  private WebhookKey() {}

  static String ensure(Path home) {
    Path file = home.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the webhook secret key in " + file, e);
    }
  }

  private static void create(Path file) throws IOException {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return;
    }
    Files.writeString(file, Base64.getEncoder().encodeToString(key) + System.lineSeparator());
  }
}
