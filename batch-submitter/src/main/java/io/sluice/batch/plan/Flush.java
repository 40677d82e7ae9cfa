package io.sluice.batch.plan;

import java.util.List;

/**
 * The items that go into one provider batch now, and why.
 *
 * @param group their provider and model
 * @param items the items, in the order of their lines
 * @param reason why now
 */
public record Flush(GroupKey group, List<PendingItem> items, FlushReason reason) {
  public Flush {
    items = List.copyOf(items);
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a flush needs at least one item");
    }
  }

  public List<Long> itemIds() {
    return items.stream().map(PendingItem::itemId).toList();
  }
}
