package io.sluice.jobapi.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobIdsTest {
  @Test
  void shouldMakeUniqueIdsThatSortByCreationTime() {
    JobIds early =
        new JobIds(
            Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC), new SecureRandom());
    JobIds late =
        new JobIds(
            Clock.fixed(Instant.parse("2030-01-01T00:00:01Z"), ZoneOffset.UTC), new SecureRandom());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ids.add(early.next());
    }

    assertThat(ids)
        .hasSize(1000)
        .allMatch(id -> id.matches("job_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}"));
    assertThat(late.next()).isGreaterThan(ids.stream().max(String::compareTo).orElseThrow());
  }
}
