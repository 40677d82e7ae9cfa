package io.sluice.jobapi.tenant.internal;

import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.tenant.ApiKeyInfo.KeyStatus;
import io.sluice.jobapi.tenant.ApiKeys;
import io.sluice.jobapi.tenant.AuthenticationFailedException;
import io.sluice.jobapi.tenant.Authenticator;
import io.sluice.jobapi.tenant.internal.TenantRepository.Credential;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Maps an {@code Authorization: Bearer <key>} header to the tenant that owns the key, refuses
 * revoked and expired keys and keys of disabled tenants, then takes one request from the tenant's
 * request limit.
 */
public final class ApiKeyAuthenticator implements Authenticator {
  private static final String SCHEME = "bearer ";

  private final Database database;
  private final TenantRepository tenants;
  private final KeyCache cache;
  private final TenantRequestLimiter limiter;
  private final Clock clock;
  // The read of each key in flight: callers that miss the cache at the same moment (every caller of
  // a busy key when its entry goes stale) wait for that one read instead of each taking a
  // connection from the pool for the same row.
  private final ConcurrentMap<String, CompletableFuture<Optional<Credential>>> reads =
      new ConcurrentHashMap<>();

  public ApiKeyAuthenticator(
      Database database,
      TenantRepository tenants,
      KeyCache cache,
      TenantRequestLimiter limiter,
      Clock clock) {
    this.database = database;
    this.tenants = tenants;
    this.cache = cache;
    this.limiter = limiter;
    this.clock = clock;
  }

  @Override
  public String tenantOf(String authorizationHeader) {
    String hash = ApiKeys.hash(bearerToken(authorizationHeader));
    Instant now = clock.instant();
    Credential credential = cache.get(hash, now).orElseGet(() -> read(hash, now));
    requireUsable(credential, now);
    limiter.take(credential.tenant(), now);
    return credential.tenant().id();
  }

  private Credential read(String hash, Instant now) {
    return readOnce(hash, now)
        .orElseThrow(() -> new AuthenticationFailedException("invalid API key"));
  }

  private Optional<Credential> readOnce(String hash, Instant now) {
    CompletableFuture<Optional<Credential>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<Credential>> running = reads.putIfAbsent(hash, mine);
    if (running != null) {
      return joined(running);
    }
    try {
      Optional<Credential> found = database.inTransaction(c -> tenants.findCredential(c, hash));
      found.ifPresent(credential -> cache.put(hash, credential, now));
      mine.complete(found);
      return found;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      reads.remove(hash, mine);
    }
  }

  private static Optional<Credential> joined(CompletableFuture<Optional<Credential>> read) {
    try {
      return read.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private static void requireUsable(Credential credential, Instant now) {
    KeyStatus status = credential.key().statusAt(now);
    if (status != KeyStatus.ACTIVE) {
      throw new AuthenticationFailedException("invalid API key: " + status.wireName());
    }
    if (credential.tenant().disabled()) {
      throw new AuthenticationFailedException("invalid API key: its tenant is disabled");
    }
  }

  private static String bearerToken(String header) {
    if (header == null || header.isBlank()) {
      throw new AuthenticationFailedException(
          "missing API key: send the header 'Authorization: Bearer <key>'");
    }
    if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
      throw new AuthenticationFailedException(
          "the Authorization header must use the Bearer scheme: 'Authorization: Bearer <key>'");
    }
    String token = header.substring(SCHEME.length()).strip();
    if (token.isEmpty()) {
      throw new AuthenticationFailedException("missing API key after 'Bearer'");
    }
    return token;
  }
}
