package io.sluice.launcher.local;

import io.sluice.jobapi.tenant.TenantAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The development API key of {@code sluice local}: issued on the first start and kept in the data
 * directory (readable only by its owner), registered again at every start, so it stays valid across
 * restarts.
 */
final class DevApiKey {
  private static final String FILE = "dev-api-key";

  private DevApiKey() {}

  static String ensure(Path home, TenantAdmin admin, String tenantName) {
    String tenantId = admin.ensureTenant(tenantName).id();
    Path file = home.resolve(FILE);
    try {
      if (Files.exists(file)) {
        String key = Files.readString(file).strip();
        admin.registerKey(tenantId, key);
        return key;
      }
      String key = admin.issueKey(tenantId).plaintext();
      Files.writeString(file, key + System.lineSeparator());
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dev API key in " + file, e);
    }
  }
}
