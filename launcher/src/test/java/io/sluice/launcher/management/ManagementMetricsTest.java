package io.sluice.launcher.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code SLUICE_METRICS_ENABLED=false}: the components' meters record nothing; the JVM's stay. */
class ManagementMetricsTest {
  private static String scrape(Management management) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(management.url().resolve("/metrics")).GET().build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  private static void recordAJob(Management management) {
    Counter.builder("sluice_test_jobs").register(management.meters()).increment(3);
  }

  @Test
  void shouldServeWhatTheComponentsRecordWhenMetricsAreOn() throws Exception {
    try (Management management = Management.local(0, true)) {
      recordAJob(management);

      assertThat(scrape(management))
          .contains("sluice_test_jobs_total 3.0", "jvm_memory_used_bytes");
    }
  }

  @Test
  void shouldKeepNothingTheComponentsRecordWhenMetricsAreOff() throws Exception {
    try (Management management = Management.local(0, false)) {
      recordAJob(management);

      String scraped = scrape(management);
      assertThat(scraped).doesNotContain("sluice_test_jobs").contains("jvm_memory_used_bytes");
    }
  }
}
