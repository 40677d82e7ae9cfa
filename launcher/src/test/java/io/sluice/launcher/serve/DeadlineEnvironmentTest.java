package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.dispatcher.DispatcherSettings;
import io.sluice.lane.DeadlinePolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice serve dispatcher} reads what deadlines mean from SLUICE_DEADLINE_*. */
class DeadlineEnvironmentTest {
  private static final Map<String, String> BASE =
      Map.of("SLUICE_KAFKA_BOOTSTRAP", "kafka:9092", "SLUICE_STATE_DIR", "/tmp/sluice-state");

  @Test
  void shouldUseTheProvidersBatchWindowWhenNothingIsSet() {
    DispatcherSettings settings = ServeCommand.dispatcherSettings(new Environment(BASE));

    assertThat(settings.deadlines()).isEqualTo(DeadlinePolicy.DEFAULT);
    assertThat(settings.expiryCheckInterval())
        .isEqualTo(DispatcherSettings.DEFAULT_EXPIRY_CHECK_INTERVAL);
  }

  @Test
  void shouldReadTheDeadlineDurations() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_DEADLINE_BATCH_WINDOW", "12h");
    env.put("SLUICE_DEADLINE_BATCH_MARGIN", "30m");
    env.put("SLUICE_DEADLINE_REALTIME_LEAD", "PT45M");
    env.put("SLUICE_EXPIRY_CHECK_INTERVAL", "500ms");

    DispatcherSettings settings = ServeCommand.dispatcherSettings(new Environment(env));

    assertThat(settings.deadlines())
        .isEqualTo(
            new DeadlinePolicy(
                Duration.ofHours(12), Duration.ofMinutes(30), Duration.ofMinutes(45)));
    assertThat(settings.expiryCheckInterval()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void shouldNameTheVariableOfABadDeadlineSetting() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_DEADLINE_BATCH_WINDOW", "0s");
    env.put("SLUICE_DEADLINE_REALTIME_LEAD", "soon");

    assertThatThrownBy(() -> ServeCommand.dispatcherSettings(new Environment(env)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_DEADLINE_REALTIME_LEAD must be a duration")
        .hasMessageContaining("SLUICE_DEADLINE_*: batchWindow must be positive");
  }
}
