package io.sluice.jobapi.job;

import io.sluice.jobapi.store.Transaction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the intake looks for an earlier identical answer before it queues a job, and notes the jobs
 * whose answers are to be kept once they succeed (the result cache, docs/cache.md).
 */
public interface AnswerCache {
  /** No cache: every job is queued. */
  AnswerCache NONE =
      new AnswerCache() {
        @Override
        public Optional<CacheKey> keyOf(JobRequest request) {
          return Optional.empty();
        }

        @Override
        public Optional<String> find(Transaction tx, String tenantId, CacheKey key, Instant now) {
          return Optional.empty();
        }

        @Override
        public void expect(Transaction tx, List<Expected> jobs) {}
      };

  /** The key of {@code request} when its answer may come from or go to the cache, else empty. */
  Optional<CacheKey> keyOf(JobRequest request);

  /** The ID of the job whose answer {@code tenantId} keeps under {@code key}, unexpired at now. */
  Optional<String> find(Transaction tx, String tenantId, CacheKey key, Instant now);

  /** Notes, in the transaction that inserts them, jobs whose answers to keep once they succeed. */
  void expect(Transaction tx, List<Expected> jobs);

  /** A job inserted with the cache key of its request. */
  record Expected(String jobId, String tenantId, CacheKey key) {}
}
