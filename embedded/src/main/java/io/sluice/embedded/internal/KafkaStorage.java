package io.sluice.embedded.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/** Formats a KRaft log directory once; a directory that already holds a cluster is left alone. */
public final class KafkaStorage {

  private KafkaStorage() {}

  public static boolean isFormatted(Path logDir) {
    return Files.isRegularFile(logDir.resolve("meta.properties"));
  }

  /** Formats the directory for a new one-node cluster unless it is formatted already. */
  public static void formatIfNeeded(Path logDir) {
    if (isFormatted(logDir)) {
      return;
    }
    createDirectories(logDir);
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(printStream)
          .setNodeId(KafkaBrokerConfig.NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toAbsolutePath().toString()))
          .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
          .setControllerListenerName(KafkaBrokerConfig.CONTROLLER_LISTENER)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "Could not format Kafka log directory " + logDir + ": " + output, e);
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create Kafka log directory " + dir, e);
    }
  }
}
