package io.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  @Test
  void stopsPartsInTheReverseOrderOfStartEvenWhenOneFails() {
    List<String> stopped = new ArrayList<>();
    Lifecycle lifecycle = new Lifecycle("test process");
    lifecycle.started("postgres", () -> stopped.add("postgres"));
    lifecycle.started("kafka", () -> stopped.add("kafka"));
    lifecycle.started(
        "dispatcher",
        () -> {
          stopped.add("dispatcher");
          throw new IllegalStateException("already closed");
        });
    lifecycle.started("api", () -> stopped.add("api"));

    lifecycle.close();
    lifecycle.close();

    assertThat(stopped).containsExactly("api", "dispatcher", "kafka", "postgres");
  }

  @Test
  void refusesNewPartsOnceStopping() {
    Lifecycle lifecycle = new Lifecycle("test process");
    lifecycle.close();
    assertThatThrownBy(() -> lifecycle.started("late", () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("late");
  }
}
