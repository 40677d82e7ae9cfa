package io.sluice.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.bench.measure.WaitBySize.Admission;
import io.sluice.bench.scenario.Limits;
import io.sluice.schemas.model.LimitStyle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitBySizeTest {

  @Test
  void shouldReadTheWaitAndPromptSizeFromTheWorkersDebugLine() {
    Admission admission =
        WaitBySize.parse(
            "12:00:01.234 DEBUG [pool-1] i.s.w.i.TaskProcessor - task t-9 admitted 5321 ms after"
                + " it was read (estimated input 2480 tokens)");

    assertThat(admission).isEqualTo(new Admission(5321, 2480));
    assertThat(WaitBySize.parse("12:00:01.234 INFO  [main] worker ready")).isNull();
  }

  @Test
  void shouldGroupByPromptSizeAndSetTheP99AgainstTheLargestPromptsOwnWait() {
    List<Admission> admissions = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      admissions.add(new Admission(i * 100L, 500)); // 0.1 .. 10 s
    }
    admissions.add(new Admission(30_000, 3_999));
    admissions.add(new Admission(10_000, 3_000));

    WaitBySize waits = WaitBySize.of(admissions, 200_000 / 60.0);

    assertThat(waits.buckets())
        .extracting(WaitBySize.Bucket::label)
        .containsExactly("0-999", "3000+");
    WaitBySize.Bucket small = waits.buckets().getFirst();
    assertThat(small.count()).isEqualTo(100);
    assertThat(small.p50Seconds()).isEqualTo(5.0);
    assertThat(small.p99Seconds()).isEqualTo(9.9);
    assertThat(small.maxSeconds()).isEqualTo(10.0);
    assertThat(small.ownSizeSeconds()).isCloseTo(0.15, within(1e-9));
    WaitBySize.Bucket large = waits.buckets().getLast();
    assertThat(large.p99Seconds()).isEqualTo(30.0);
    assertThat(large.ownSizeSeconds()).isCloseTo(3_999 * 60 / 200_000.0, within(1e-9));
    assertThat(large.p99OverOwnSize()).isCloseTo(30.0 / large.ownSizeSeconds(), within(1e-9));
  }

  @Test
  void shouldSetAnthropicsWaitsAgainstItsInputTokenLimit(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("worker-0.log");
    Files.writeString(
        log,
        """
        x DEBUG TaskProcessor - task a admitted 60000 ms after it was read (estimated input 1500 tokens)
        x WARN  something else
        """);

    WaitBySize waits =
        WaitBySize.fromLogs(
            List.of(log),
            new Limits(LimitStyle.REQUESTS_INPUT_AND_OUTPUT_TOKENS, 50, 0, 30_000, 8_000));

    assertThat(waits.buckets())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.label()).isEqualTo("1000-1999");
              assertThat(b.ownSizeSeconds()).isCloseTo(3.0, within(1e-9));
              assertThat(b.p99OverOwnSize()).isCloseTo(20.0, within(1e-9));
            });
  }
}
