package io.sluice.jobapi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.jobapi.job.JobFinishedListener;
import io.sluice.jobapi.job.JobSubmissions;
import io.sluice.jobapi.job.Submission;
import io.sluice.jobapi.outbox.Outbox;
import io.sluice.jobapi.store.Database;
import io.sluice.schemas.job.JobStatus;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * job-api's job meters: jobs submitted, jobs finished by outcome, and the outbox backlog. The
 * counters wrap the intake and the finished listener in the composition root, so the job feature
 * itself stays free of meters.
 */
final class JobMetrics {
  private static final Logger LOG = LoggerFactory.getLogger(JobMetrics.class);

  private final Counter submitted;
  private final Map<JobStatus, Counter> finished = new EnumMap<>(JobStatus.class);

  JobMetrics(MeterRegistry registry) {
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
