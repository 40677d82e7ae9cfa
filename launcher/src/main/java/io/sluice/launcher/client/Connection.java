package io.sluice.launcher.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the API is and the key to use: the options when given, else {@code SLUICE_URL} and {@code
 * SLUICE_API_KEY}, else {@code sluice local}'s defaults (its port and the development key it keeps
 * in {@code .sluice/dev-api-key}), so a command run beside {@code sluice local} needs no flags.
 */
public class Connection {
  static final Path LOCAL_DEV_KEY = Path.of(".sluice", "dev-api-key");

  @Option(
      names = "--url",
      defaultValue = "${env:SLUICE_URL:-http://127.0.0.1:8080}",
      description = "The job API (default: $SLUICE_URL or ${DEFAULT-VALUE}).")
  URI url;

  @Option(
      names = "--api-key",
      defaultValue = "${env:SLUICE_API_KEY}",
      description = "The API key (default: $SLUICE_API_KEY, else .sluice/dev-api-key).")
  String apiKey;

  public URI url() {
    return url;
  }

  /** The key given, or the one {@code sluice local} keeps in the working directory. */
  public String apiKey() {
    if (apiKey != null && !apiKey.isBlank()) {
      return apiKey;
    }
    if (Files.isReadable(LOCAL_DEV_KEY)) {
      try {
        return Files.readString(LOCAL_DEV_KEY).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + LOCAL_DEV_KEY, e);
      }
    }
    throw new IllegalArgumentException(
        "no API key: set SLUICE_API_KEY, pass --api-key, or run beside `sluice local` (which"
            + " keeps its key in "
            + LOCAL_DEV_KEY
            + ")");
  }

  public SluiceClient client() {
    return new SluiceClient(url, apiKey());
  }
}
