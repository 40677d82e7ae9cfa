package io.sluice.lane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FairQueueTest {
  private final FairQueue equal = new FairQueue(TenantWeights.EQUAL);

  @Test
  void shouldReleaseNothingWhenNoTenantWaits() {
    assertThat(equal.next(FairQueueState.START, Set.of())).isEmpty();
  }

  @Test
  void shouldAlternateBetweenTwoEqualTenantsWhoeverCameFirst() {
    FairQueueState state = FairQueueState.START;
    for (int i = 0; i < 1_000; i++) {
      state = equal.release(state, "a");
    }

    List<String> order = releases(equal, state, Map.of("a", 10, "b", 10), 6);

    assertThat(order).containsExactly("b", "a", "b", "a", "b", "a");
  }

  @Test
  void shouldReleaseInTheRatioOfTheWeights() {
    FairQueue weighted = new FairQueue(new TenantWeights(Map.of("heavy", 3), 1));

    List<String> order =
        releases(weighted, FairQueueState.START, Map.of("heavy", 100, "light", 100), 40);

    assertThat(order.stream().filter("heavy"::equals).count()).isEqualTo(30);
  }

  @Test
  void shouldGiveATenantThatArrivesNoCreditForItsIdleTime() {
    FairQueueState state = FairQueueState.START;
    for (int i = 0; i < 50; i++) {
      state = equal.release(state, "a");
    }

    List<String> order = releases(equal, state, Map.of("a", 10, "b", 10), 10);

    assertThat(order.stream().filter("b"::equals).count()).isEqualTo(5);
  }

  @Test
  void shouldForgetTenantsTheVirtualTimeHasPassed() {
    FairQueueState state = equal.release(FairQueueState.START, "a");
    state = equal.release(state, "b");
    state = equal.release(state, "a");
    state = equal.release(state, "b");
    for (int i = 0; i < 5; i++) {
      state = equal.release(state, "c");
    }

    assertThat(state.finishTags()).containsOnlyKeys("c");
  }

  /** Releases up to {@code count} from queues of these lengths, in the order chosen. */
  static List<String> releases(
      FairQueue queue, FairQueueState start, Map<String, Integer> backlog, int count) {
    Map<String, Integer> left = new HashMap<>(backlog);
    FairQueueState state = start;
    List<String> order = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      var waiting = left.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey);
      var next = queue.next(state, waiting.toList());
      if (next.isEmpty()) {
        break;
      }
      order.add(next.get());
      left.merge(next.get(), -1, Integer::sum);
      state = queue.release(state, next.get());
    }
    return order;
  }
}
