package io.sluice.ratelimit;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Checks the token-bucket promise on a record of charges: over every window [a, b], the units
 * charged minus the units given back never exceed capacity + rate × (b − a).
 */
public final class WindowCheck {
  private final List<Event> events = new ArrayList<>();

  /** A charge (positive) or refund (negative) of {@code units} at {@code at}. */
  public record Event(Instant at, long units) {}

  public synchronized void add(Instant at, long units) {
    if (units != 0) {
      events.add(new Event(at, units));
    }
  }

  public synchronized long total() {
    return events.stream().mapToLong(Event::units).sum();
  }

  /** The first window that breaks the promise, described, or empty when none does. */
  public synchronized Optional<String> violation(long capacity, Duration period) {
    List<Event> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(Event::at));
    BigInteger c = BigInteger.valueOf(capacity);
    BigInteger p = BigInteger.valueOf(period.toNanos());
    for (int i = 0; i < sorted.size(); i++) {
      long sum = 0;
      for (int j = i; j < sorted.size(); j++) {
        sum += sorted.get(j).units();
        if (j + 1 < sorted.size() && sorted.get(j + 1).at().equals(sorted.get(j).at())) {
          continue;
        }
        long span = Duration.between(sorted.get(i).at(), sorted.get(j).at()).toNanos();
        // sum ≤ C + C × span / P  ⇔  sum × P ≤ C × (P + span)
        if (BigInteger.valueOf(sum)
                .multiply(p)
                .compareTo(c.multiply(p.add(BigInteger.valueOf(span))))
            > 0) {
          return Optional.of(
              sum
                  + " units in "
                  + Duration.ofNanos(span)
                  + " from "
                  + sorted.get(i).at()
                  + " exceed capacity "
                  + capacity
                  + " per "
                  + period);
        }
      }
    }
    return Optional.empty();
  }
}
