package io.sluice.dispatcher.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** The dispatcher's directory on disk: its stable member ID and the Streams state it may wipe. */
public final class LocalState {
  static final String MEMBER_ID_FILE = "member-id";

  private final Path stateDir;
  private final String applicationId;

  public LocalState(Path stateDir, String applicationId) {
    this.stateDir = stateDir;
    this.applicationId = applicationId;
  }

  /**
   * The consumer group's static member ID of this instance: the same across restarts on this state
   * directory, so that a restarted dispatcher takes its partitions back at once instead of waiting
   * for the killed member's session to time out.
   */
  public String memberId() {
    Path file = stateDir.resolve(MEMBER_ID_FILE);
    try {
      Files.createDirectories(stateDir);
      if (Files.exists(file)) {
        String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!id.isEmpty()) {
          return applicationId + "-" + id;
        }
      }
      String id = UUID.randomUUID().toString();
      Path temporary = Files.createTempFile(stateDir, MEMBER_ID_FILE, ".tmp");
      Files.writeString(temporary, id, StandardCharsets.UTF_8);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      return applicationId + "-" + id;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the dispatcher's member ID in " + file, e);
    }
  }

  /** Deletes this application's state stores; Streams restores them from their changelogs. */
  public void wipeStores() {
    Path appDir = stateDir.resolve(applicationId);
    if (!Files.exists(appDir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(appDir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the dispatcher's state in " + appDir, e);
    }
  }
}
