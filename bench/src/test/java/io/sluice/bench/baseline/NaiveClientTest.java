package io.sluice.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.bench.backlog.BacklogShape;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NaiveClientTest {
  private final NaiveClient client =
      new NaiveClient(
          null,
          BacklogShape.realistic(0, 1),
          "m",
          1,
          Duration.ofSeconds(1),
          Duration.ofSeconds(32));

  @Test
  void shouldDoubleItsBackoffUpToTheCapWithJitterBelowIt() {
    for (int i = 0; i < 100; i++) {
      assertThat(client.backoff(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(client.backoff(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
      assertThat(client.backoff(30)).isBetween(Duration.ofSeconds(16), Duration.ofSeconds(32));
    }
  }
}
