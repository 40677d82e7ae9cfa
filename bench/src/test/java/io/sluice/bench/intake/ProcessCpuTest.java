package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void addsUserAndSystemTicksOfAStatLine() {
    String stat =
        "4242 (java) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1250 375 3 4 20 0 57 0 100 0 0";

    assertThat(ProcessCpu.fromStat(stat)).isEqualTo(16.25);
  }

  @Test
  void readsACommandNameWithSpacesAndParentheses() {
    String stat = "77 (postgres: (x) idle) S 1 77 77 0 -1 0 0 0 0 0 200 100 0 0 20 0 1 0 5 0 0";

    assertThat(ProcessCpu.fromStat(stat)).isEqualTo(3.0);
  }

  @Test
  void readsThisProcessesOwnCpuTime() {
    assertThat(ProcessCpu.seconds(ProcessHandle.current().pid())).isPositive();
  }
}
