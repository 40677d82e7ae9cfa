package io.sluice.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void shouldDrawABarProportionalToProgress() {
    assertThat(Progress.line("done", 15, 30))
        .isEqualTo("done       [" + "#".repeat(15) + " ".repeat(15) + "] 15/30");
    assertThat(Progress.line("done", 0, 0)).contains("#".repeat(30));
  }
}
