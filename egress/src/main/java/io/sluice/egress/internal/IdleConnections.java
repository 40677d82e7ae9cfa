package io.sluice.egress.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Connections kept open after an exchange (keep-alive), by {@link Connection.Route}: at most {@code
 * perRoute} for one route and {@code total} in all, each closed once idle for {@code idleTimeout}.
 * The most recently returned connection is taken first, so the others age out. Thread-safe.
 */
public final class IdleConnections {
  private record Idle(Connection connection, long sinceNanos) {}

  private final Duration idleTimeout;
  private final int perRoute;
  private final int total;
  private final LongSupplier nanoTime;
  private final Map<Connection.Route, Deque<Idle>> byRoute = new HashMap<>();
  private int count;
  private boolean closed;

  public IdleConnections(Duration idleTimeout, int perRoute, int total, LongSupplier nanoTime) {
    this.idleTimeout = idleTimeout;
    this.perRoute = perRoute;
    this.total = total;
    this.nanoTime = nanoTime;
  }

  /**
   * An idle connection to one of {@code addresses} (in their order) for {@code destination}, if any
   * has not expired; expired ones met on the way are closed.
   */
  Optional<Connection> take(Destination destination, List<InetAddress> addresses) {
    List<Connection> expired = new ArrayList<>();
    Optional<Connection> found = Optional.empty();
    synchronized (this) {
      for (InetAddress address : addresses) {
        found = takeFresh(Connection.Route.of(destination, address), expired);
        if (found.isPresent()) {
          break;
        }
      }
    }
    expired.forEach(Connection::close);
    return found.map(Connection::reuse);
  }

  /**
   * Keeps {@code connection} for a later exchange, or closes it when the pool is full or closed.
   */
  void give(Connection connection) {
    synchronized (this) {
      Deque<Idle> idle = byRoute.computeIfAbsent(connection.route(), r -> new ArrayDeque<>());
      if (!closed && count < total && idle.size() < perRoute) {
        idle.push(new Idle(connection, nanoTime.getAsLong()));
        count++;
        return;
      }
      if (idle.isEmpty()) {
        byRoute.remove(connection.route());
      }
    }
    connection.close();
  }

  /** Closes every connection idle for longer than the idle timeout. */
  public void closeExpired() {
    List<Connection> expired = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Deque<Idle>> routes = byRoute.values().iterator(); routes.hasNext(); ) {
        Deque<Idle> idle = routes.next();
        removeExpired(idle, expired);
        if (idle.isEmpty()) {
          routes.remove();
        }
      }
    }
    expired.forEach(Connection::close);
  }

  /** Closes every idle connection; connections given back later are closed at once. */
  public void close() {
    List<Connection> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      byRoute.values().forEach(idle -> idle.forEach(i -> all.add(i.connection())));
      byRoute.clear();
      count = 0;
    }
    all.forEach(Connection::close);
  }

  /** Idle connections held now. */
  public synchronized int size() {
    return count;
  }

  private Optional<Connection> takeFresh(Connection.Route route, List<Connection> expired) {
    Deque<Idle> idle = byRoute.get(route);
    if (idle == null) {
      return Optional.empty();
    }
    removeExpired(idle, expired);
    Idle newest = idle.poll();
    if (newest != null) {
      count--;
    }
    if (idle.isEmpty()) {
      byRoute.remove(route);
    }
    return Optional.ofNullable(newest).map(Idle::connection);
  }

  /** Removes the expired connections of one route (the oldest are at the end) into {@code into}. */
  private void removeExpired(Deque<Idle> idle, List<Connection> into) {
    long now = nanoTime.getAsLong();
    while (!idle.isEmpty() && now - idle.peekLast().sinceNanos() >= idleTimeout.toNanos()) {
      into.add(idle.removeLast().connection());
      count--;
    }
  }
}
