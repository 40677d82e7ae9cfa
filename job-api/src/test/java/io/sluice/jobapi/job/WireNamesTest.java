package io.sluice.jobapi.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.json.Json;
import org.junit.jupiter.api.Test;

/** The parser reads priority and mode by the enums' own wire names, the ones JSON carries. */
class WireNamesTest {

  @Test
  void shouldReadEveryPriorityByTheNameJsonWritesForIt() throws Exception {
    for (Priority priority : Priority.values()) {
      String json = Json.mapper().writeValueAsString(priority);
      assertThat(json).isEqualTo("\"" + priority.wireName() + "\"");
      assertThat(Priority.fromWire(priority.wireName())).contains(priority);
    }
    assertThat(Priority.wireNames()).containsExactly("interactive", "standard", "bulk");
  }

  @Test
  void shouldReadEveryModeByTheNameJsonWritesForIt() throws Exception {
    for (Mode mode : Mode.values()) {
      String json = Json.mapper().writeValueAsString(mode);
      assertThat(json).isEqualTo("\"" + mode.wireName() + "\"");
      assertThat(Mode.fromWire(mode.wireName())).contains(mode);
    }
    assertThat(Mode.wireNames()).containsExactly("realtime", "deferred", "auto");
  }

  @Test
  void shouldKnowNoOtherSpelling() {
    assertThat(Priority.fromWire("BULK")).isEmpty();
    assertThat(Priority.fromWire(" bulk")).isEmpty();
    assertThat(Priority.fromWire("bulk\u0000")).isEmpty();
    assertThat(Priority.fromWire(null)).isEmpty();
    assertThat(Mode.fromWire("Realtime")).isEmpty();
    assertThat(Mode.fromWire("")).isEmpty();
  }
}
