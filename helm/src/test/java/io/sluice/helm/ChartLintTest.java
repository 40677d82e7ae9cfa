package io.sluice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code helm lint --strict} passes without a warning for both values files, and can fail. */
class ChartLintTest {

  @Test
  void lintFindsNothingWithTheDefaultValues() {
    LintResult result = Chart.lint(Chart.DIRECTORY, null);

    assertThat(problems(result)).isEmpty();
    assertThat(result.isFailed()).isFalse();
  }

  @Test
  void lintFindsNothingWithTheProductionValues() {
    LintResult result = Chart.lint(Chart.DIRECTORY, Chart.PRODUCTION_VALUES);

    assertThat(problems(result)).isEmpty();
    assertThat(result.isFailed()).isFalse();
  }

  @Test
  void lintFailsOnABrokenTemplate() {
    Path broken = Chart.copyOf(Chart.DIRECTORY);
    Chart.write(
        broken.resolve("templates/broken.yaml"), "kind: ConfigMap\n{{ .Values.nope.at.all }");

    LintResult result = Chart.lint(broken, null);

    assertThat(result.isFailed()).isTrue();
    assertThat(problems(result)).isNotEmpty();
  }

  /** Lint messages other than the informational ones (a missing icon is only [INFO]). */
  private static List<String> problems(LintResult result) {
    return result.getMessages().stream().filter(m -> !m.startsWith("[INFO]")).toList();
  }
}
