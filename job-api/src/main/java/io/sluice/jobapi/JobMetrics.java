package io.sluice.jobapi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.jobapi.job.AnswerCache;
import io.sluice.jobapi.job.CacheKey;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobFinishedListener;
import io.sluice.jobapi.job.JobRequest;
import io.sluice.jobapi.job.JobSubmissions;
import io.sluice.jobapi.job.JobUpdatedListener;
import io.sluice.jobapi.job.Submission;
import io.sluice.jobapi.outbox.Outbox;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Transaction;
import io.sluice.schemas.job.JobStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * job-api's job meters: jobs submitted, jobs finished by outcome, result cache hits, misses and
 * savings, and the outbox backlog. The counters wrap the intake and the finished listener in the
 * composition root, so the job feature itself stays free of meters.
 */
final class JobMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(JobMetrics.class);

  private final Counter submitted;
  private final Map<JobStatus, Counter> finished = new EnumMap<>(JobStatus.class);
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final Counter cacheSavedUsd;

  JobMetrics(MeterRegistry registry) {
    cacheHits = cacheLookups(registry, "hit");
    cacheMisses = cacheLookups(registry, "miss");
    cacheSavedUsd =
        Counter.builder("sluice.cache.saved.usd")
            .description("What the answers served from the result cache had cost when made")
            .register(registry);
    submitted =
        Counter.builder("sluice.jobs.submitted")
            .description("Jobs accepted (HTTP 202; Idempotency-Key replays not counted)")
            .register(registry);
    for (JobStatus status : JobStatus.values()) {
      if (status.isTerminal()) {
        finished.put(
            status,
            Counter.builder("sluice.jobs.finished")
                .description("Jobs that reached a terminal status, by outcome")
                .tag("outcome", status.name().toLowerCase(Locale.ROOT))
                .register(registry));
      }
    }
  }

  /** Counts each new job the intake accepts. */
  JobSubmissions counting(JobSubmissions intake) {
    return new JobSubmissions() {
      @Override
      public Submission submit(String tenantId, byte[] body, String idempotencyHeader) {
        Submission submission = intake.submit(tenantId, body, idempotencyHeader);
        if (submission.created()) {
          submitted.increment();
        }
        return submission;
      }

      @Override
      public io.sluice.mapreduce.MapReduceEstimate estimate(byte[] body) {
        return intake.estimate(body);
      }

      @Override
      public void close() {
        intake.close();
      }
    };
  }

  /**
   * Counts each job that finishes, then tells {@code next}. Counted inside the transaction that
   * stores the status: a transaction that then rolls back (and is retried) counts twice.
   */
  JobFinishedListener counting(JobFinishedListener next) {
    return (tx, job) -> {
      next.finished(tx, job);
      Counter counter = finished.get(job.status());
      if (counter != null) {
        counter.increment();
      }
    };
  }

  private static Counter cacheLookups(MeterRegistry registry, String result) {
    return Counter.builder("sluice.cache.lookups")
        .description("Result cache lookups of cacheable jobs, by result (hit: no provider call)")
        .tag("result", result)
        .register(registry);
  }

  /** Counts each lookup of the result cache as a hit or a miss. */
  AnswerCache counting(AnswerCache cache) {
    return new AnswerCache() {
      @Override
      public Optional<CacheKey> keyOf(JobRequest request) {
        return cache.keyOf(request);
      }

      @Override
      public Optional<String> find(Transaction tx, String tenantId, CacheKey key, Instant now) {
        Optional<String> found = cache.find(tx, tenantId, key, now);
        (found.isPresent() ? cacheHits : cacheMisses).increment();
        return found;
      }

      @Override
      public void expect(Transaction tx, List<Expected> jobs) {
        cache.expect(tx, jobs);
      }
    };
  }

  /** Adds what each answer served from the cache had cost to {@code sluice_cache_saved_usd}. */
  JobUpdatedListener cacheSavings() {
    return (tx, before, after) -> {
      Job.CacheHit hit = after.outcome().cacheHit();
      if (hit != null && !before.status().isTerminal() && after.status().isTerminal()) {
        cacheSavedUsd.increment(hit.savedUsd().doubleValue());
      }
    };
  }

  /**
   * {@code sluice_outbox_backlog}: rows waiting to be published, read at each scrape; closing the
   * returned handle removes the gauge (its database is going).
   */
  static AutoCloseable outboxBacklog(MeterRegistry registry, Database database) {
    Gauge gauge =
        Gauge.builder("sluice.outbox.backlog", database, JobMetrics::backlogOrNaN)
            .description("Outbox rows not yet published to Kafka")
            .strongReference(true)
            .register(registry);
    return () -> registry.remove(gauge);
  }

  private static double backlogOrNaN(Database database) {
    try {
      return Outbox.backlog(database);
    } catch (RuntimeException e) {
      LOG.debug("outbox backlog not read: {}", e.getClass().getSimpleName());
      return Double.NaN;
    }
  }
}
