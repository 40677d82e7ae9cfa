package io.sluice.batch.plan;

import static io.sluice.batch.plan.ItemState.CANCELLED;
import static io.sluice.batch.plan.ItemState.DONE;
import static io.sluice.batch.plan.ItemState.FALLEN_BACK;
import static io.sluice.batch.plan.ItemState.FALLING_BACK;
import static io.sluice.batch.plan.ItemState.IN_BATCH;
import static io.sluice.batch.plan.ItemState.PENDING;
import static io.sluice.batch.plan.ItemState.PUBLISHED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemStateTest {
  private static final Map<ItemState, Set<ItemState>> ALLOWED =
      Map.of(
          PENDING, EnumSet.of(IN_BATCH, FALLING_BACK, DONE, CANCELLED),
          IN_BATCH, EnumSet.of(PENDING, DONE, FALLING_BACK, CANCELLED),
          FALLING_BACK, EnumSet.of(FALLEN_BACK, DONE, CANCELLED),
          FALLEN_BACK, EnumSet.of(DONE, CANCELLED),
          DONE, EnumSet.of(PUBLISHED),
          PUBLISHED, EnumSet.noneOf(ItemState.class),
          CANCELLED, EnumSet.noneOf(ItemState.class));

  @Test
  void shouldAllowExactlyTheTransitionsOfTheTableForEveryPair() {
    for (ItemState from : ItemState.values()) {
      for (ItemState to : ItemState.values()) {
        assertThat(from.canMoveTo(to))
            .as("%s -> %s", from, to)
            .isEqualTo(ALLOWED.get(from).contains(to));
      }
    }
  }

  @Test
  void shouldCountOnlyTheTwoFallbackStatesAsFallenBack() {
    for (ItemState state : ItemState.values()) {
      assertThat(state.hasFallenBack())
          .as("%s", state)
          .isEqualTo(state == FALLING_BACK || state == FALLEN_BACK);
    }
  }
}
