package io.sluice.jobapi.idempotency;

import io.sluice.jobapi.store.Transaction;
import java.time.Instant;
import java.util.Optional;

/**
 * The remembered Idempotency-Keys, used inside the transaction that creates a job so that the key
 * and the job are committed together. {@link Idempotency#keys()} gives the PostgreSQL one.
 */
public interface IdempotencyKeys {

  /** Takes the transaction-scoped lock for this tenant's key; false if another request has it. */
  boolean tryLock(Transaction tx, String tenantId, IdempotencyKey key);

  /** The key's record unless it is missing or expired at {@code now}. */
  Optional<IdempotencyRecord> findLive(
      Transaction tx, String tenantId, IdempotencyKey key, Instant now);

  /** Records the key for a new job; false when a live record for the key exists already. */
  boolean claim(
      Transaction tx,
      String tenantId,
      IdempotencyKey key,
      String fingerprint,
      String jobId,
      Instant now,
      Instant expiresAt);
}
