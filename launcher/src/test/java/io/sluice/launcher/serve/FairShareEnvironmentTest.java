package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.dispatcher.DispatcherSettings;
import io.sluice.dispatcher.fairness.PacingSettings;
import io.sluice.lane.LaneShares;
import io.sluice.schemas.task.Lane;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fair shares from SLUICE_TENANT_WEIGHTS, SLUICE_PACING_* and SLUICE_BULK_MIN_SHARE. */
class FairShareEnvironmentTest {
  private static final Map<String, String> BASE =
      Map.of("SLUICE_KAFKA_BOOTSTRAP", "kafka:9092", "SLUICE_STATE_DIR", "/tmp/sluice-state");

  @Test
  void shouldPaceStandardAndBulkWithTheDefaultsWhenNothingIsSet() {
    DispatcherSettings settings = ServeCommand.dispatcherSettings(new Environment(BASE));

    assertThat(settings.pacing()).isEqualTo(PacingSettings.DEFAULT);
    assertThat(FairShareEnvironment.laneShares(new Environment(BASE)))
        .isEqualTo(LaneShares.DEFAULT);
  }

  @Test
  void shouldReadTheWeightsWindowTimeoutAndBulkShare() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_TENANT_WEIGHTS", "acme=3, beta = 2");
    env.put("SLUICE_PACING_WINDOW", "8");
    env.put("SLUICE_PACING_RELEASE_TIMEOUT", "2m");
    env.put("SLUICE_BULK_MIN_SHARE", "0.25");

    PacingSettings pacing = ServeCommand.dispatcherSettings(new Environment(env)).pacing();
    LaneShares shares = FairShareEnvironment.laneShares(new Environment(env));

    assertThat(pacing.window()).isEqualTo(8);
    assertThat(pacing.releaseTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(pacing.weights().weightOf("acme")).isEqualTo(3);
    assertThat(pacing.weights().weightOf("beta")).isEqualTo(2);
    assertThat(pacing.weights().weightOf("other")).isEqualTo(1);
    assertThat(shares.minimumShareOf(Lane.BULK)).isEqualTo(0.25);
    assertThat(shares.weights()).isEqualTo(pacing.weights());
  }

  @Test
  void shouldNameTheVariableOfABadSetting() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_TENANT_WEIGHTS", "acme=0");
    env.put("SLUICE_PACING_WINDOW", "0");

    assertThatThrownBy(() -> ServeCommand.dispatcherSettings(new Environment(env)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_TENANT_WEIGHTS must be a list of tenant=weight")
        .hasMessageContaining("SLUICE_PACING_WINDOW");
  }

  @Test
  void shouldRefuseABulkShareOfOneOrMore() {
    Environment env = new Environment(Map.of("SLUICE_BULK_MIN_SHARE", "1.5"));

    FairShareEnvironment.laneShares(env);

    assertThatThrownBy(env::check).hasMessageContaining("SLUICE_BULK_MIN_SHARE");
  }
}
