package io.sluice.jobapi.tenant.internal;

import io.sluice.jobapi.tenant.internal.TenantRepository.Credential;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What this instance read about API keys (by hash), trusted for a bounded time ({@code ttl}): a key
 * revoked, expired or of a tenant disabled on another instance is refused here at most {@code ttl}
 * later. Only keys that exist are kept, so unknown keys cannot fill it; an instance's own admin
 * changes clear it at once.
 */
public final class KeyCache {
  private static final int MAX_ENTRIES = 10_000;

  private record Entry(Credential credential, Instant readAt) {}

  private final Duration ttl;
  private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

  public KeyCache(Duration ttl) {
    this.ttl = ttl;
  }

  /** The credential read at most {@code ttl} before {@code now}, if there is one. */
  public Optional<Credential> get(String keyHash, Instant now) {
    Entry entry = entries.get(keyHash);
    if (entry == null || !fresh(entry, now)) {
      return Optional.empty();
    }
    return Optional.of(entry.credential());
  }

  public void put(String keyHash, Credential credential, Instant readAt) {
    if (ttl.isZero()) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(entry -> !fresh(entry, readAt));
    }
    entries.put(keyHash, new Entry(credential, readAt));
  }

  /** Forgets everything (after a change made through this instance). */
  public void clear() {
    entries.clear();
  }

  private boolean fresh(Entry entry, Instant now) {
    return now.isBefore(entry.readAt().plus(ttl)) && !now.isBefore(entry.readAt());
  }
}
