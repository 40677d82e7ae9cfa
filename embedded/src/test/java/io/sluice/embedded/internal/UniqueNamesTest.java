package io.sluice.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UniqueNamesTest {

  /** Legal as a Kafka topic, group id, Streams application id and unquoted PostgreSQL name. */
  private static final String LEGAL_EVERYWHERE = "[a-z_][a-z0-9_]{0,62}";

  @Test
  void shouldStartWithThePrefixAndBeLegalEverywhere() {
    String name = UniqueNames.next("jobs");

    assertThat(name).startsWith("jobs_").matches(LEGAL_EVERYWHERE);
  }

  @Test
  void shouldNeverRepeatAName() {
    Set<String> names = new HashSet<>();
    IntStream.range(0, 10_000).forEach(i -> names.add(UniqueNames.next("t")));

    assertThat(names).hasSize(10_000);
  }

  @Test
  void shouldTurnAnyPrefixIntoALegalName() {
    assertThat(UniqueNames.next("My Topic.Name-1")).startsWith("my_topic_name_1_");
    assertThat(UniqueNames.next("42")).startsWith("n42_").matches(LEGAL_EVERYWHERE);
    assertThat(UniqueNames.next("")).matches(LEGAL_EVERYWHERE);
    assertThat(UniqueNames.next(null)).matches(LEGAL_EVERYWHERE);
    assertThat(UniqueNames.next("x".repeat(200))).matches(LEGAL_EVERYWHERE);
  }
}
