package io.sluice.simulator.internal.batch;

import io.sluice.simulator.internal.http.Ids;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** OpenAI files kept in memory: uploads and batch output / error files. */
public final class FileStore {
  /** A stored file. */
  public record StoredFile(
      String id, String filename, String purpose, byte[] content, Instant createdAt) {}

  private final Map<String, StoredFile> files = new ConcurrentHashMap<>();

  public StoredFile add(String filename, String purpose, byte[] content, Instant now) {
    StoredFile file = new StoredFile(Ids.next("file-"), filename, purpose, content, now);
    files.put(file.id(), file);
    return file;
  }

  public Optional<StoredFile> get(String id) {
    return Optional.ofNullable(files.get(id));
  }

  public boolean delete(String id) {
    return files.remove(id) != null;
  }

  /** Every file, newest first. */
  public List<StoredFile> all() {
    return files.values().stream()
        .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
        .toList();
  }
}
