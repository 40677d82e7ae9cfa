package io.sluice.bench.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkFileTest {
  @TempDir Path dir;

  @Test
  void shouldWriteOpenAiBatchLinesOfAboutAKilobyteWithEveryProvidersModels() throws Exception {
    Path file = dir.resolve("bulk.jsonl");

    long bytes = BulkFile.write(file, 200, 12);

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(200);
    assertThat(bytes / 200).isBetween(900L, 1_200L);
    Set<String> models = new HashSet<>();
    Set<String> ids = new HashSet<>();
    for (String line : lines) {
      JsonNode request = Json.mapper().readTree(line);
      assertThat(request.path("method").asText()).isEqualTo("POST");
      assertThat(request.path("url").asText()).isEqualTo("/v1/chat/completions");
      assertThat(request.path("body").path("messages")).hasSize(2);
      ids.add(request.path("custom_id").asText());
      models.add(request.path("body").path("model").asText());
    }
    assertThat(ids).hasSize(200);
    assertThat(models)
        .containsExactlyInAnyOrder("gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash");
  }

  @Test
  void shouldWriteTheSameFileFromTheSameSeed() throws Exception {
    BulkFile.write(dir.resolve("a.jsonl"), 50, 7);
    BulkFile.write(dir.resolve("b.jsonl"), 50, 7);

    assertThat(Files.mismatch(dir.resolve("a.jsonl"), dir.resolve("b.jsonl"))).isEqualTo(-1);
  }
}
