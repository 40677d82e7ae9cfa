package io.sluice.jobapi.idempotency;

import java.time.Instant;

/**
 * A remembered {@code Idempotency-Key}: which request it came with and which job it created.
 *
 * @param key the key
 * @param fingerprint the {@link RequestFingerprint} of the first request with this key
 * @param jobId the job that request created
 * @param expiresAt after this instant the key is forgotten and may be used again
 */
public record IdempotencyRecord(
    IdempotencyKey key, String fingerprint, String jobId, Instant expiresAt) {

  /**
   * The job a retry with this key should get back.
   *
   * @throws IdempotencyKeyReusedException when the retry's body differs from the first one
   */
  public String replayFor(String retryFingerprint) {
    if (!fingerprint.equals(retryFingerprint)) {
      throw new IdempotencyKeyReusedException(key, jobId);
    }
    return jobId;
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}
