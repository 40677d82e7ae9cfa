package io.sluice.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DemoWorkloadTest {
  @Test
  void shouldGenerateTheSameWorkloadForTheSameSeed() {
    assertThat(DemoWorkload.generate(50, List.of("gpt-4o-mini"), 7))
        .isEqualTo(DemoWorkload.generate(50, List.of("gpt-4o-mini"), 7))
        .isNotEqualTo(DemoWorkload.generate(50, List.of("gpt-4o-mini"), 8));
  }

  @Test
  void shouldComputeExpectedAnswersIndependentlyOfTheSimulator() {
    List<DemoJob> jobs = DemoWorkload.generate(3, List.of("gpt-4o-mini"), 1);

    DemoJob reverse = jobs.get(0);
    DemoJob upper = jobs.get(1);
    DemoJob sum = jobs.get(2);
    assertThat(reverse.prompt()).startsWith("reverse: ");
    assertThat(new StringBuilder(reverse.expectedOutput()).reverse().toString())
        .isEqualTo(reverse.prompt().substring("reverse: ".length()));
    assertThat(upper.expectedOutput())
        .isEqualTo(upper.prompt().substring("uppercase: ".length()).toUpperCase());
    long total = 0;
    for (String n : sum.prompt().substring("sum: ".length()).split(" ")) {
      total += Long.parseLong(n);
    }
    assertThat(sum.expectedOutput()).isEqualTo(Long.toString(total));
  }

  @Test
  void shouldSpreadJobsOverTheGivenModels() {
    assertThat(DemoWorkload.generate(4, List.of("a", "b"), 1))
        .extracting(DemoJob::model)
        .containsExactly("a", "b", "a", "b");
  }

  @Test
  void shouldRefuseANegativeCount() {
    assertThatThrownBy(() -> DemoWorkload.generate(-1, List.of("a"), 1)).hasMessageContaining("-1");
  }
}
