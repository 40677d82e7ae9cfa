package io.sluice.simulator.internal.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.internal.batch.FileStore;
import io.sluice.simulator.internal.batch.InputFile;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.MultipartForm;
import io.sluice.simulator.internal.http.Reply;
import io.sluice.simulator.internal.http.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The OpenAI Files API: upload, list, retrieve, content, delete. */
public final class OpenAiFiles {
  private static final Set<String> PURPOSES =
      Set.of("batch", "assistants", "fine-tune", "vision", "user_data", "evals");

  private final FileStore store;
  private final Clock clock;

  public OpenAiFiles(FileStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** {@code POST /v1/files} (multipart: {@code file}, {@code purpose}). */
  public Reply upload(Request request) {
    MultipartForm form =
        MultipartForm.parse(request.header("content-type").orElse(null), request.body());
    String purpose =
        form.part("purpose")
            .map(MultipartForm.Part::text)
            .map(String::strip)
            .orElseThrow(
                () -> ApiError.badRequest("Missing required parameter: 'purpose'.", "purpose"));
    if (!PURPOSES.contains(purpose)) {
      throw ApiError.badRequest(
          "Invalid value for 'purpose': '" + purpose + "'. Supported values are " + PURPOSES + ".",
          "purpose");
    }
    // openai-java sends byte[] uploads without a filename: accept them, as the SDK is the judge.
    MultipartForm.Part file =
        form.part("file")
            .orElseThrow(() -> ApiError.badRequest("Missing required parameter: 'file'.", "file"));
    String filename = file.filename() == null ? "upload.jsonl" : file.filename();
    if (purpose.equals("batch")) {
      InputFile.parse(file.content());
    }
    FileStore.StoredFile stored = store.add(filename, purpose, file.content(), clock.instant());
    return Reply.json(200, fileObject(stored));
  }

  /** {@code GET /v1/files}. */
  public Reply list(Request request) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    List<FileStore.StoredFile> files = store.all();
    String purpose = request.param("purpose").orElse(null);
    files.stream()
        .filter(f -> purpose == null || f.purpose().equals(purpose))
        .forEach(f -> data.add(fileObject(f)));
    root.put("has_more", false);
    if (!data.isEmpty()) {
      root.put("first_id", data.get(0).path("id").asText());
      root.put("last_id", data.get(data.size() - 1).path("id").asText());
    }
    return Reply.json(200, root);
  }

  /** {@code GET /v1/files/{id}}. */
  public Reply retrieve(String id) {
    return Reply.json(200, fileObject(find(id)));
  }

  /** {@code GET /v1/files/{id}/content}. */
  public Reply content(String id) {
    FileStore.StoredFile file = find(id);
    return Reply.json(200, file.content()).withHeader("content-type", "application/octet-stream");
  }

  /** {@code DELETE /v1/files/{id}}. */
  public Reply delete(String id) {
    find(id);
    store.delete(id);
    return Reply.json(200, Map.of("id", id, "object", "file", "deleted", true));
  }

  private FileStore.StoredFile find(String id) {
    return store
        .get(id)
        .orElseThrow(() -> new ApiError(404, null, "No such File object: " + id, "id"));
  }

  static ObjectNode fileObject(FileStore.StoredFile file) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("id", file.id());
    node.put("object", "file");
    node.put("bytes", file.content().length);
    node.put("created_at", file.createdAt().getEpochSecond());
    node.put("expires_at", expiry(file.createdAt()).getEpochSecond());
    node.put("filename", file.filename());
    node.put("purpose", file.purpose());
    node.put("status", "processed");
    node.putNull("status_details");
    return node;
  }

  private static Instant expiry(Instant created) {
    return created.plus(Duration.ofDays(30));
  }
}
