package io.sluice.jobapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.jobapi.bulk.BulkSettings;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Intake figures of the Files and Batches API (not part of the test run: {@code
 * -Dtest=BulkIntakeBench -Djobapi.excludedGroups=none -Dlines=100000}): a JSONL file of ~1 KB lines
 * uploaded, turned into a batch whose jobs are committed, and published (the outbox drained).
 * Prints one MEASURE line.
 */
@Tag("bench")
class BulkIntakeBench {
  @Test
  void measure() {
    int lines = Integer.getInteger("lines", 100_000);
    try (JobApiFixture fixture =
        JobApiFixture.start(s -> s.dbPoolSize(10).bulk(BulkSettings.defaults()))) {
      JobApiFixture.Client client = fixture.newClient();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      String filler = "Extract the parties, dates and amounts from this clause. ".repeat(15);
      for (int i = 0; i < lines; i++) {
        out.writeBytes(
            ("{\"custom_id\":\"r-"
                    + i
                    + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                    + "\"body\":{\"model\":\"gpt-4o-mini\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\""
                    + filler
                    + i
                    + "\"}]}}\n")
                .getBytes(StandardCharsets.UTF_8));
      }
      byte[] file = out.toByteArray();
      String b = "bnd123";
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes(
          ("--"
                  + b
                  + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                  + b
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.jsonl\"\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(file);
      body.writeBytes(("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
      long t0 = System.nanoTime();
      HttpResponse<String> up =
          JobApiFixture.send(
              HttpRequest.newBuilder(fixture.url("/v1/files"))
                  .header("Authorization", "Bearer " + client.key)
                  .header("Content-Type", "multipart/form-data; boundary=" + b)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                  .timeout(java.time.Duration.ofMinutes(5)));
      long t1 = System.nanoTime();
      String id = JobApiFixture.json(up).get("id").asText();
      HttpResponse<String> created =
          JobApiFixture.send(
              HttpRequest.newBuilder(fixture.url("/v1/batches"))
                  .header("Authorization", "Bearer " + client.key)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"input_file_id\":\""
                              + id
                              + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}"))
                  .timeout(java.time.Duration.ofMinutes(5)));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      // the create answers at once (validating); the batch is in_progress once every job is in
      assertThat(
              client
                  .validated(
                      JobApiFixture.json(created).get("id").asText(),
                      java.time.Duration.ofMinutes(10))
                  .get("status")
                  .asText())
          .isEqualTo("in_progress");
      long t2 = System.nanoTime();
      while (fixture.count("SELECT count(*) FROM outbox") > 0) {
        Thread.onSpinWait();
      }
      long t3 = System.nanoTime();
      System.out.printf(
          "MEASURE lines=%d bytes=%d upload=%.2fs create=%.2fs published=%.2fs total=%.2fs -> %.0f lines/s (commit), %.0f lines/s (published)%n",
          lines,
          file.length,
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          (t3 - t2) / 1e9,
          (t3 - t0) / 1e9,
          lines / ((t2 - t0) / 1e9),
          lines / ((t3 - t0) / 1e9));
    }
  }
}
