package io.sluice.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {
  @Test
  void reasonsAreEscapedAsJsonStrings() {
    HealthReport report = new HealthReport(Map.of("db", "said \"no\"\n\\ \u0001"));

    assertThat(report.toJson())
        .isEqualTo("{\"status\":\"DOWN\",\"failing\":{\"db\":\"said \\\"no\\\"\\n\\\\ \\u0001\"}}");
  }
}
