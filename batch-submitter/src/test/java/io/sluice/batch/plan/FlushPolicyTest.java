package io.sluice.batch.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.providers.BatchLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlushPolicyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final GroupKey GROUP = new GroupKey("openai", "gpt-4o-mini");
  private static final BatchLimits LIMITS = new BatchLimits(5, 10_000);
  private static final FlushPolicy POLICY =
      new FlushPolicy(Duration.ofMinutes(5), Duration.ofHours(25));

  private long nextId = 1;

  private PendingItem item(Duration waited) {
    return item(waited, 100, null, PendingItem.ANY_SIZE);
  }

  private PendingItem item(Duration waited, long bytes, Instant deadline, int maxLines) {
    return new PendingItem(nextId++, GROUP, bytes, NOW.minus(waited), deadline, 0, maxLines, 10);
  }

  private List<PendingItem> items(int count, Duration waited) {
    List<PendingItem> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(item(waited));
    }
    return items;
  }

  @Test
  void shouldWaitWhileTheOldestItemIsYoungerThanTheLinger() {
    assertThat(POLICY.decide(items(3, Duration.ofMinutes(4)), LIMITS, NOW)).isEmpty();
  }

  @Test
  void shouldFlushEveryItemWhenTheOldestHasWaitedTheLinger() {
    List<PendingItem> pending = new ArrayList<>(items(2, Duration.ofMinutes(1)));
    pending.add(item(Duration.ofMinutes(5)));

    Flush flush = POLICY.decide(pending, LIMITS, NOW).orElseThrow();

    assertThat(flush.reason()).isEqualTo(FlushReason.LINGER);
    assertThat(flush.items()).hasSize(3);
    assertThat(flush.items().getFirst().eligibleAt()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
  }

  @Test
  void shouldFlushAtOnceWhenTheLineLimitIsReached() {
    Flush flush = POLICY.decide(items(5, Duration.ZERO), LIMITS, NOW).orElseThrow();

    assertThat(flush.reason()).isEqualTo(FlushReason.FULL);
    assertThat(flush.items()).hasSize(5);
  }

  @Test
  void shouldTakeTheOldestItemsUpToTheLineLimitWhenMoreArePending() {
    List<PendingItem> pending = new ArrayList<>(items(4, Duration.ZERO));
    pending.addAll(items(4, Duration.ofMinutes(1)));

    Flush flush = POLICY.decide(pending, LIMITS, NOW).orElseThrow();

    assertThat(flush.items()).hasSize(5);
    assertThat(flush.itemIds()).containsExactly(5L, 6L, 7L, 8L, 1L);
  }

  @Test
  void shouldFlushWhenTheNextItemWouldPassTheByteLimit() {
    List<PendingItem> pending =
        List.of(
            item(Duration.ZERO, 6_000, null, PendingItem.ANY_SIZE),
            item(Duration.ZERO, 3_000, null, PendingItem.ANY_SIZE),
            item(Duration.ZERO, 2_000, null, PendingItem.ANY_SIZE));

    Flush flush = POLICY.decide(pending, LIMITS, NOW).orElseThrow();

    assertThat(flush.reason()).isEqualTo(FlushReason.FULL);
    assertThat(flush.itemIds()).containsExactly(1L, 2L);
  }

  @Test
  void shouldLetAnItemExactlyAtTheByteLimitIn() {
    List<PendingItem> pending =
        List.of(
            item(Duration.ZERO, 6_000, null, PendingItem.ANY_SIZE),
            item(Duration.ZERO, 4_000, null, PendingItem.ANY_SIZE));

    assertThat(POLICY.decide(pending, LIMITS, NOW)).isEmpty();
  }

  @Test
  void shouldSendAnItemLargerThanTheByteLimitAloneSoThatItsRefusalFailsOnlyIt() {
    List<PendingItem> pending =
        List.of(
            item(Duration.ZERO, 20_000, null, PendingItem.ANY_SIZE),
            item(Duration.ZERO, 100, null, PendingItem.ANY_SIZE));

    Flush flush = POLICY.decide(pending, LIMITS, NOW).orElseThrow();

    assertThat(flush.itemIds()).containsExactly(1L);
  }

  @Test
  void shouldFlushEarlyWhenADeadlineLeavesNoTimeForABatchWindow() {
    List<PendingItem> pending =
        List.of(
            item(Duration.ZERO),
            item(Duration.ZERO, 100, NOW.plus(Duration.ofHours(24)), PendingItem.ANY_SIZE));

    Flush flush = POLICY.decide(pending, LIMITS, NOW).orElseThrow();

    assertThat(flush.reason()).isEqualTo(FlushReason.DEADLINE);
    assertThat(flush.items()).hasSize(2);
  }

  @Test
  void shouldKeepLingeringWhenTheDeadlineIsFarEnough() {
    List<PendingItem> pending =
        List.of(item(Duration.ZERO, 100, NOW.plus(Duration.ofHours(30)), PendingItem.ANY_SIZE));

    assertThat(POLICY.decide(pending, LIMITS, NOW)).isEmpty();
  }

  @Test
  void shouldFlushAtTheExactMomentTheDeadlineLeadIsReached() {
    List<PendingItem> pending =
        List.of(item(Duration.ZERO, 100, NOW.plus(Duration.ofHours(25)), PendingItem.ANY_SIZE));

    assertThat(POLICY.decide(pending, LIMITS, NOW))
        .map(Flush::reason)
        .contains(FlushReason.DEADLINE);
  }

  @Test
  void shouldSendAResubmittedLineAloneAndAtOnce() {
    List<PendingItem> pending = new ArrayList<>(items(3, Duration.ofMinutes(1)));
    pending.add(item(Duration.ZERO, 100, null, 1));

    Flush flush = POLICY.decide(pending, LIMITS, NOW).orElseThrow();

    assertThat(flush.reason()).isEqualTo(FlushReason.FULL);
    assertThat(flush.itemIds()).containsExactly(4L);
  }

  @Test
  void shouldNotLetANewItemJoinALineThatMustGoAlone() {
    List<PendingItem> pending =
        List.of(item(Duration.ZERO, 100, null, 1), item(Duration.ofHours(1)));

    Flush flush = POLICY.decide(pending, LIMITS, NOW).orElseThrow();

    assertThat(flush.itemIds()).containsExactly(1L);
  }

  @Test
  void shouldKeepTheItemsOfASplitBatchWithinHalfItsSize() {
    List<PendingItem> pending = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      pending.add(item(Duration.ZERO, 100, null, 2));
    }

    Flush flush = POLICY.decide(pending, LIMITS, NOW).orElseThrow();

    assertThat(flush.reason()).isEqualTo(FlushReason.FULL);
    assertThat(flush.items()).hasSize(2);
  }

  @Test
  void shouldIgnoreItemsWhoseRetryDelayHasNotPassed() {
    PendingItem later = new PendingItem(1, GROUP, 100, NOW.plusSeconds(30), null, 1, 1, 10);

    assertThat(POLICY.decide(List.of(later), LIMITS, NOW)).isEmpty();
  }

  @Test
  void shouldDecideNothingForNoItems() {
    assertThat(POLICY.decide(List.of(), LIMITS, NOW)).isEqualTo(Optional.empty());
  }

  @Test
  void shouldFlushAnythingAtOnceWithAZeroLinger() {
    FlushPolicy eager = new FlushPolicy(Duration.ZERO, Duration.ofHours(25));

    assertThat(eager.decide(items(1, Duration.ZERO), LIMITS, NOW))
        .map(Flush::reason)
        .contains(FlushReason.LINGER);
  }

  @Test
  void shouldNameTheKeyOfANegativeSetting() {
    assertThatThrownBy(() -> new FlushPolicy(Duration.ofSeconds(-1), Duration.ZERO))
        .hasMessageContaining("batch-submitter.linger");
    assertThatThrownBy(() -> new FlushPolicy(Duration.ZERO, Duration.ofSeconds(-1)))
        .hasMessageContaining("batch-submitter.deadline-lead");
  }

  private static GroupSummary summary(long items, long bytes, Duration waited, Instant deadline) {
    return new GroupSummary(items, bytes, NOW.minus(waited), deadline, false);
  }

  @Test
  void shouldNotReadAGroupWhoseOldestItemIsYoungAndThatCannotFillABatch() {
    assertThat(POLICY.mayBeDue(summary(4, 400, Duration.ofMinutes(4), null), LIMITS, NOW))
        .isFalse();
  }

  @Test
  void shouldReadAGroupThatMayBeDueForEveryReasonDecideKnows() {
    assertThat(POLICY.mayBeDue(summary(5, 500, Duration.ZERO, null), LIMITS, NOW)).isTrue();
    assertThat(POLICY.mayBeDue(summary(2, 10_001, Duration.ZERO, null), LIMITS, NOW)).isTrue();
    assertThat(POLICY.mayBeDue(summary(1, 100, Duration.ofMinutes(5), null), LIMITS, NOW)).isTrue();
    assertThat(
            POLICY.mayBeDue(
                summary(1, 100, Duration.ZERO, NOW.plus(Duration.ofHours(24))), LIMITS, NOW))
        .isTrue();
    assertThat(POLICY.mayBeDue(new GroupSummary(1, 100, NOW, null, true), LIMITS, NOW)).isTrue();
  }

  @Test
  void shouldNeverSkipAGroupThatDecideWouldFlush() {
    List<List<PendingItem>> cases =
        List.of(
            items(5, Duration.ZERO),
            items(1, Duration.ofMinutes(5)),
            List.of(item(Duration.ZERO, 100, NOW.plus(Duration.ofHours(1)), PendingItem.ANY_SIZE)),
            List.of(item(Duration.ZERO, 100, null, 1)),
            List.of(
                item(Duration.ZERO, 6_000, null, PendingItem.ANY_SIZE),
                item(Duration.ZERO, 6_000, null, PendingItem.ANY_SIZE)));
    for (List<PendingItem> pending : cases) {
      GroupSummary summary =
          new GroupSummary(
              pending.size(),
              pending.stream().mapToLong(PendingItem::lineBytes).sum(),
              pending.stream().map(PendingItem::eligibleAt).min(Instant::compareTo).orElseThrow(),
              pending.stream()
                  .map(PendingItem::deadline)
                  .filter(java.util.Objects::nonNull)
                  .min(Instant::compareTo)
                  .orElse(null),
              pending.stream().anyMatch(PendingItem::isRestricted));
      assertThat(POLICY.decide(pending, LIMITS, NOW)).as("%s", pending).isPresent();
      assertThat(POLICY.mayBeDue(summary, LIMITS, NOW)).as("%s", pending).isTrue();
    }
  }

  private PendingItem tokens(long inputTokens, Duration waited) {
    return new PendingItem(
        nextId++, GROUP, 100, NOW.minus(waited), null, 0, PendingItem.ANY_SIZE, inputTokens);
  }

  @Test
  void shouldTakeOnlyTheOldestItemsThatFitTheRoomLeftInTheProvidersQueue() {
    List<PendingItem> pending =
        List.of(
            tokens(400, Duration.ofMinutes(3)),
            tokens(400, Duration.ofMinutes(9)),
            tokens(100, Duration.ofMinutes(1)),
            tokens(400, Duration.ofMinutes(6)));

    Flush flush = POLICY.decide(pending, LIMITS, new QueueRoom(1_000, 100), NOW).orElseThrow();

    assertThat(flush.items())
        .extracting(PendingItem::eligibleAt)
        .containsExactly(NOW.minus(Duration.ofMinutes(9)), NOW.minus(Duration.ofMinutes(6)));
    assertThat(flush.reason()).isEqualTo(FlushReason.FULL);
  }

  @Test
  void shouldFlushNothingWhenNotEvenTheOldestItemFitsTheRoom() {
    List<PendingItem> pending =
        List.of(tokens(500, Duration.ofMinutes(9)), tokens(10, Duration.ofMinutes(8)));

    assertThat(POLICY.decide(pending, LIMITS, new QueueRoom(499, 100), NOW)).isEmpty();
    assertThat(POLICY.decide(pending, LIMITS, QueueRoom.NONE, NOW)).isEmpty();
  }

  @Test
  void shouldNeverFlushMoreLinesThanTheRoomAllows() {
    List<PendingItem> pending = items(4, Duration.ofMinutes(9));

    Flush flush = POLICY.decide(pending, LIMITS, new QueueRoom(1_000_000, 3), NOW).orElseThrow();

    assertThat(flush.items()).hasSize(3);
  }

  @Test
  void shouldStillWaitForTheLingerWhenEveryItemFitsTheRoom() {
    assertThat(
            POLICY.decide(items(3, Duration.ofMinutes(1)), LIMITS, new QueueRoom(1_000, 100), NOW))
        .isEmpty();
  }

  @Test
  void shouldNotReadAnEmptyGroup() {
    assertThat(POLICY.mayBeDue(new GroupSummary(0, 0, null, null, false), LIMITS, NOW)).isFalse();
  }
}
