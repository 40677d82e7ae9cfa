package io.sluice.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A DNS with answers set by the test: a fixed answer per name, or a queue of answers that changes
 * from one lookup to the next (DNS rebinding). Counts lookups.
 */
final class StubResolver implements HostResolver {
  private final Map<String, Deque<List<InetAddress>>> answers = new HashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();

  /** {@code host} answers {@code addresses} from now on. */
  StubResolver answer(String host, String... addresses) {
    Deque<List<InetAddress>> queue = new ArrayDeque<>();
    queue.add(parse(addresses));
    answers.put(host, queue);
    return this;
  }

  /** {@code host}'s next lookup answers {@code addresses}; the last answer given stays. */
  StubResolver thenAnswer(String host, String... addresses) {
    answers.computeIfAbsent(host, h -> new ArrayDeque<>()).add(parse(addresses));
    return this;
  }

  int lookups() {
    return lookups.get();
  }

  @Override
  public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
    lookups.incrementAndGet();
    Deque<List<InetAddress>> queue = answers.get(host);
    if (queue == null || queue.isEmpty()) {
      throw new UnknownHostException(host);
    }
    return queue.size() > 1 ? queue.poll() : queue.peek();
  }

  private static List<InetAddress> parse(String... addresses) {
    return java.util.Arrays.stream(addresses).map(StubResolver::literal).toList();
  }

  private static InetAddress literal(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }
}
