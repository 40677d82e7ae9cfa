package io.sluice.batch.plan;

import io.sluice.providers.BatchLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When the pending items of one group become a provider batch: as soon as they fill one (the
 * provider's line or byte limit), when the oldest has waited {@code linger}, or when an item's
 * deadline is less than {@code deadlineLead} away (a provider batch may take its whole window).
 * Resubmitted items (those with a size bound of their own) are taken first, so a line that failed
 * goes alone without waiting behind new items. A batch also never holds more than the room the
 * provider's batch queue has left ({@link QueueRoom}, from {@link QueueLimitPolicy}): it takes the
 * items in order while they fit, and one that filled the room counts as full; when not even the
 * first item fits, nothing is flushed and the group waits for room.
 *
 * @param linger how long the oldest item may wait for others to join it
 * @param deadlineLead how long before an item's deadline its batch must be submitted
 */
public record FlushPolicy(Duration linger, Duration deadlineLead) {
  private static final Comparator<PendingItem> ORDER =
      Comparator.comparing((PendingItem item) -> !item.isRestricted())
          .thenComparing(PendingItem::eligibleAt)
          .thenComparingLong(PendingItem::itemId);

  public FlushPolicy {
    requireNotNegative(linger, "linger");
    requireNotNegative(deadlineLead, "deadline-lead");
  }

  /**
   * The batch to submit now from one group's pending items, if any is due.
   *
   * @param pending the group's pending items, in any order; those not yet eligible are ignored
   * @param limits the provider's per-batch limits
   * @param now the current time
   */
  public Optional<Flush> decide(List<PendingItem> pending, BatchLimits limits, Instant now) {
    return decide(pending, limits, QueueRoom.UNLIMITED, now);
  }

  /**
   * The batch to submit now from one group's pending items, within the room left in the provider's
   * batch queue.
   *
   * @param room what a new batch may add to the provider's queue
   */
  public Optional<Flush> decide(
      List<PendingItem> pending, BatchLimits limits, QueueRoom room, Instant now) {
    List<PendingItem> eligible =
        pending.stream().filter(item -> !item.eligibleAt().isAfter(now)).sorted(ORDER).toList();
    if (eligible.isEmpty() || !room.admits(eligible.getFirst().inputTokens(), 1)) {
      return Optional.empty();
    }
    Batch batch = fill(eligible, limits, room);
    return reason(batch, now)
        .map(reason -> new Flush(eligible.getFirst().group(), batch.items, reason));
  }

  /**
   * Whether {@link #decide} may flush anything for a group with this summary: false only when no
   * batch can be full, the oldest has not lingered long enough and no deadline is near.
   */
  public boolean mayBeDue(GroupSummary summary, BatchLimits limits, Instant now) {
    if (summary.items() == 0) {
      return false;
    }
    return summary.anyRestricted()
        || summary.items() >= limits.maxRequests()
        || summary.bytes() > limits.maxBytes()
        || !summary.oldestEligible().plus(linger).isAfter(now)
        || (summary.earliestDeadline() != null
            && !summary.earliestDeadline().minus(deadlineLead).isAfter(now));
  }

  private static Batch fill(List<PendingItem> eligible, BatchLimits limits, QueueRoom room) {
    Batch batch = new Batch(limits.maxRequests());
    for (PendingItem item : eligible) {
      if (!batch.fits(item, limits) || !batch.fitsRoom(item, room)) {
        batch.full = true;
        return batch;
      }
      batch.add(item);
      if (batch.items.size() >= batch.cap) {
        batch.full = true;
        return batch;
      }
    }
    return batch;
  }

  private Optional<FlushReason> reason(Batch batch, Instant now) {
    if (batch.full) {
      return Optional.of(FlushReason.FULL);
    }
    Instant oldest =
        batch.items.stream().map(PendingItem::eligibleAt).min(Comparator.naturalOrder()).get();
    if (!oldest.plus(linger).isAfter(now)) {
      return Optional.of(FlushReason.LINGER);
    }
    boolean urgent =
        batch.items.stream()
            .map(PendingItem::deadline)
            .filter(Objects::nonNull)
            .anyMatch(deadline -> !deadline.minus(deadlineLead).isAfter(now));
    return urgent ? Optional.of(FlushReason.DEADLINE) : Optional.empty();
  }

  private static void requireNotNegative(Duration value, String key) {
    Objects.requireNonNull(value, key);
    if (value.isNegative()) {
      throw new IllegalArgumentException("batch-submitter." + key + " must not be negative");
    }
  }

  /** The batch being filled. */
  private static final class Batch {
    final List<PendingItem> items = new ArrayList<>();
    int cap;
    long bytes;
    long tokens;
    boolean full;

    Batch(int cap) {
      this.cap = cap;
    }

    boolean fits(PendingItem item, BatchLimits limits) {
      if (items.isEmpty()) {
        return true; // an item over the byte limit goes alone; the provider's refusal fails it
      }
      return items.size() + 1 <= Math.min(cap, item.maxBatchLines())
          && bytes + item.lineBytes() <= limits.maxBytes();
    }

    boolean fitsRoom(PendingItem item, QueueRoom room) {
      return room.admits(tokens + item.inputTokens(), items.size() + 1L);
    }

    void add(PendingItem item) {
      items.add(item);
      bytes += item.lineBytes();
      tokens += item.inputTokens();
      cap = Math.min(cap, item.maxBatchLines());
    }
  }
}
