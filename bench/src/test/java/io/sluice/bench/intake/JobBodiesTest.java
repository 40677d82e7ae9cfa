package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobBodiesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void buildsTheSameBodiesFromTheSameSeed() {
    assertThat(JobBodies.bodies(50, 7)).isEqualTo(JobBodies.bodies(50, 7));
    assertThat(JobBodies.bodies(50, 7)).isNotEqualTo(JobBodies.bodies(50, 8));
  }

  @Test
  void buildsValidJobsOfAboutThreeHundredBytesWithVariedModelsAndPrompts() throws Exception {
    List<String> bodies = JobBodies.bodies(1_000, 42);
    Set<String> models = new HashSet<>();
    Set<String> prompts = new HashSet<>();
    long bytes = 0;
    for (String body : bodies) {
      JsonNode job = JSON.readTree(body);
      models.add(job.path("model").asText());
      prompts.add(job.path("messages").path(1).path("content").asText());
      assertThat(job.path("max_tokens").asInt()).isBetween(16, 128);
      assertThat(job.path("metadata").size()).isEqualTo(3);
      bytes += body.getBytes(StandardCharsets.UTF_8).length;
    }

    assertThat(models).containsExactlyInAnyOrderElementsOf(new HashSet<>(JobBodies.MODELS));
    assertThat(prompts).hasSizeGreaterThan(990);
    assertThat(bytes / bodies.size()).isBetween(250L, 400L);
  }

  @Test
  void buildsWholeKeepAliveRequestsWithTheKeyAndTheBodysLength() {
    String body = JobBodies.bodies(1, 1).getFirst();

    ByteBuffer request = JobBodies.requests(List.of(body), "127.0.0.1:8080", "sk-test").getFirst();
    byte[] bytes = new byte[request.remaining()];
    request.duplicate().get(bytes);
    String text = new String(bytes, StandardCharsets.UTF_8);

    assertThat(text)
        .startsWith("POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n")
        .contains("\r\nAuthorization: Bearer sk-test\r\n")
        .contains("\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
        .endsWith("\r\n\r\n" + body)
        .doesNotContain("Connection: close");
  }
}
