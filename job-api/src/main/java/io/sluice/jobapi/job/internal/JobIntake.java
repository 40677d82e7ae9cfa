package io.sluice.jobapi.job.internal;

import io.sluice.jobapi.idempotency.IdempotencyKey;
import io.sluice.jobapi.idempotency.IdempotencyKeyInFlightException;
import io.sluice.jobapi.idempotency.IdempotencyKeys;
import io.sluice.jobapi.idempotency.IdempotencyRecord;
import io.sluice.jobapi.idempotency.InvalidIdempotencyKeyException;
import io.sluice.jobapi.idempotency.RequestFingerprint;
import io.sluice.jobapi.job.AnswerCache;
import io.sluice.jobapi.job.CacheKey;
import io.sluice.jobapi.job.CostCapExceededException;
import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.IntakeControls;
import io.sluice.jobapi.job.InvalidJobRequestException;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobBudget;
import io.sluice.jobapi.job.JobEstimator;
import io.sluice.jobapi.job.JobIds;
import io.sluice.jobapi.job.JobListeners;
import io.sluice.jobapi.job.JobRequest;
import io.sluice.jobapi.job.JobRequestParser;
import io.sluice.jobapi.job.JobSubmissions;
import io.sluice.jobapi.job.Submission;
import io.sluice.jobapi.mapreduce.MapReducePlanner;
import io.sluice.jobapi.mapreduce.MapReducePlanner.PlannedJob;
import io.sluice.jobapi.outbox.OutboxWriter;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.GroupCommit;
import io.sluice.jobapi.store.Transaction;
import io.sluice.mapreduce.MapReduceEstimate;
import io.sluice.observability.tracing.TraceContext;
import io.sluice.schemas.job.DocumentChunk;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts jobs: validates, applies the Idempotency-Key, and stores the job and its outbox record in
 * one transaction. When {@link #submit} returns, the job is committed and will reach {@code
 * sluice.jobs.submitted} even if this process dies now.
 *
 * <p>A job without an Idempotency-Key is committed by a {@link GroupCommit} together with the
 * others submitted at the same moment: one transaction, one multi-row insert into each table and
 * one WAL flush for a burst of requests, and still nothing answered before its own rows are
 * committed. A job with a key runs its own transaction, which takes the key's lock and reads the
 * key's earlier use.
 */
public final class JobIntake implements JobSubmissions {
  private static final Logger LOG = LoggerFactory.getLogger(JobIntake.class);

  private final Database database;
  private final JobRepository jobs;
  private final OutboxWriter outbox;
  private final IdempotencyKeys idempotency;
  private final JobRequestParser parser;
  private final JobIds ids;
  private final Topic<String, SubmittedJob> submittedTopic;
  private final Duration idempotencyRetention;
  private final Runnable afterCommit;
  private final Clock clock;
  private final GroupCommit<NewJob, Job> newJobs;
  private final MapReducePlanner planner;
  private final AnswerCache cache;
  private final JobListeners listeners;
  private final JobEstimator estimator;
  private final JobBudget budget;

  /**
   * A job ready to insert, with its {@code sluice.jobs.submitted} record, the trace context of the
   * request that submitted it (the group commit inserts it on another thread) and its cache key
   * when its answer is to be kept, else {@code null}.
   */
  private record NewJob(Job job, String payload, TraceContext trace, CacheKey cacheKey) {}

  public JobIntake(
      Database database,
      JobRepository jobs,
      OutboxWriter outbox,
      IdempotencyKeys idempotency,
      JobRequestParser parser,
      JobIds ids,
      Topic<String, SubmittedJob> submittedTopic,
      Duration idempotencyRetention,
      Runnable afterCommit,
      Clock clock,
      GroupCommit.Settings groupCommit,
      MapReducePlanner planner,
      IntakeControls controls) {
    this.planner = planner;
    this.estimator = controls.estimator();
    this.budget = controls.budget();
    this.cache = controls.cache();
    this.listeners = controls.listeners();
    this.database = database;
    this.jobs = jobs;
    this.outbox = outbox;
    this.idempotency = idempotency;
    this.parser = parser;
    this.ids = ids;
    this.submittedTopic = submittedTopic;
    this.idempotencyRetention = idempotencyRetention;
    this.afterCommit = afterCommit;
    this.clock = clock;
    this.newJobs = new GroupCommit<>("job-intake", database, this::insertAll, groupCommit);
  }

  @Override
  public Submission submit(String tenantId, byte[] body, String idempotencyHeader) {
    List<FieldError> problems = new ArrayList<>();
    Optional<IdempotencyKey> key = readKey(idempotencyHeader, problems);
    JobRequest request = readRequest(body, problems);
    if (!problems.isEmpty()) {
      throw InvalidJobRequestException.of(problems);
    }
    // Before anything is stored: a map-reduce job over its caps is refused (422) here.
    // A completion job whose estimate goes past its max_cost_usd likewise (the same CostCap).
    PlannedJob planned =
        request.type() == JobType.MAP_REDUCE
            ? planner.planChecked(request.mapReduce(), request.mode())
            : null;
    if (planned == null) {
      estimator
          .costRefusal(request)
          .ifPresent(
              refusal -> {
                throw new CostCapExceededException(refusal);
              });
    }
    // A tenant with a token budget reserves the job's estimate in the job's own transaction.
    boolean budgeted = budget.appliesTo(tenantId);
    CacheKey cacheKey = planned == null ? cache.keyOf(request).orElse(null) : null;
    Instant now = Clocks.now(clock);
    Submission submission;
    if (key.isPresent()) {
      submission =
          database.inTransaction(
              c ->
                  createOnce(
                      new Transaction(c),
                      tenantId,
                      request,
                      planned,
                      cacheKey,
                      key.get(),
                      now,
                      budgeted));
    } else if (planned != null || budgeted) {
      submission =
          database.inTransaction(
              c -> create(new Transaction(c), tenantId, request, planned, cacheKey, now, budgeted));
    } else {
      submission = createGrouped(tenantId, request, cacheKey, now);
    }
    if (submission.created()) {
      LOG.debug("accepted job {} for tenant {}", submission.job().id(), tenantId);
      afterCommit.run();
    }
    return submission;
  }

  private static Optional<IdempotencyKey> readKey(String header, List<FieldError> problems) {
    if (header == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new IdempotencyKey(header));
    } catch (InvalidIdempotencyKeyException e) {
      problems.add(new FieldError(IdempotencyKey.HEADER, e.problem()));
      return Optional.empty();
    }
  }

  private JobRequest readRequest(byte[] body, List<FieldError> problems) {
    try {
      return parser.parse(body);
    } catch (InvalidJobRequestException e) {
      if (problems.isEmpty()) {
        throw e;
      }
      problems.addAll(e.fieldErrors());
      return null;
    }
  }

  @Override
  public MapReduceEstimate estimate(byte[] body) {
    JobRequest request = parser.parse(body);
    if (request.type() != JobType.MAP_REDUCE) {
      throw InvalidJobRequestException.of(
          List.of(new FieldError("type", "an estimate is made for \"map_reduce\" jobs")));
    }
    return planner.estimate(request.mapReduce());
  }

  private Submission createOnce(
      Transaction tx,
      String tenantId,
      JobRequest request,
      PlannedJob planned,
      CacheKey cacheKey,
      IdempotencyKey key,
      Instant now,
      boolean budgeted)
      throws SQLException {
    if (!idempotency.tryLock(tx, tenantId, key)) {
      throw new IdempotencyKeyInFlightException(key);
    }
    String fingerprint = RequestFingerprint.of(request);
    Optional<IdempotencyRecord> earlier = idempotency.findLive(tx, tenantId, key, now);
    if (earlier.isPresent()) {
      String jobId = earlier.get().replayFor(fingerprint);
      return new Submission(
          jobs.findForTenant(tx.connection(), tenantId, jobId).orElseThrow(), false);
    }
    Submission submission = create(tx, tenantId, request, planned, cacheKey, now, budgeted);
    Instant expiresAt = now.plus(idempotencyRetention);
    if (!idempotency.claim(tx, tenantId, key, fingerprint, submission.job().id(), now, expiresAt)) {
      throw new IdempotencyKeyInFlightException(key);
    }
    return submission;
  }

  // A cacheable job looks up its answer before it joins a group commit: a hit is stored on its own,
  // a miss is inserted with the others. Two identical jobs at the same moment may both miss; both
  // then run, and the later answer is the one kept.
  private Submission createGrouped(
      String tenantId, JobRequest request, CacheKey cacheKey, Instant now) {
    if (cacheKey != null) {
      Optional<Job> earlier =
          database.inTransaction(c -> cachedAnswer(new Transaction(c), tenantId, cacheKey, now));
      if (earlier.isPresent()) {
        return database.inTransaction(
            c -> createFromCache(new Transaction(c), tenantId, request, earlier.get(), now));
      }
    }
    Job job = Job.accepted(ids.next(), tenantId, request, now);
    NewJob newJob = new NewJob(job, payloadOf(job.toSubmitted()), TraceContext.current(), cacheKey);
    return new Submission(newJobs.commit(newJob), true);
  }

  private Optional<Job> cachedAnswer(Transaction tx, String tenantId, CacheKey key, Instant now)
      throws SQLException {
    Optional<String> jobId = cache.find(tx, tenantId, key, now);
    if (jobId.isEmpty()) {
      return Optional.empty();
    }
    return jobs.findForTenant(tx.connection(), tenantId, jobId.get())
        .filter(j -> j.status() == JobStatus.SUCCEEDED);
  }

  /** A job stored succeeded with an earlier job's answer: nothing is queued, no provider called. */
  private Submission createFromCache(
      Transaction tx, String tenantId, JobRequest request, Job earlier, Instant now)
      throws SQLException {
    Job queued = Job.accepted(ids.next(), tenantId, request, now);
    Job answered = queued.answeredFromCache(earlier, now);
    jobs.insert(tx.connection(), queued);
    jobs.updateOutcome(tx.connection(), answered);
    listeners.stored(tx, queued, answered);
    return new Submission(answered, true);
  }

  private List<Job> insertAll(Connection connection, List<NewJob> batch) throws SQLException {
    List<Job> created = batch.stream().map(NewJob::job).toList();
    jobs.insertAll(connection, created);
    outbox.appendAll(
        new Transaction(connection),
        batch.stream()
            .map(
                n ->
                    new OutboxWriter.Entry(
                        submittedTopic.name(),
                        n.job().id(),
                        n.payload(),
                        n.job().createdAt(),
                        n.trace()))
            .toList());
    List<AnswerCache.Expected> cacheable =
        batch.stream()
            .filter(n -> n.cacheKey() != null)
            .map(n -> new AnswerCache.Expected(n.job().id(), n.job().tenantId(), n.cacheKey()))
            .toList();
    if (!cacheable.isEmpty()) {
      cache.expect(new Transaction(connection), cacheable);
    }
    return created;
  }

  @Override
  public void close() {
    newJobs.close();
  }

  private Submission create(
      Transaction tx,
      String tenantId,
      JobRequest request,
      PlannedJob planned,
      CacheKey cacheKey,
      Instant now,
      boolean budgeted)
      throws SQLException {
    if (planned != null) {
      Submission submission = createMapReduce(tx, tenantId, request, planned, now);
      reserve(tx, submission.job(), request, planned, now, budgeted);
      return submission;
    }
    if (cacheKey != null) {
      Optional<Job> earlier = cachedAnswer(tx, tenantId, cacheKey, now);
      if (earlier.isPresent()) {
        return createFromCache(tx, tenantId, request, earlier.get(), now);
      }
    }
    Job job = Job.accepted(ids.next(), tenantId, request, now);
    reserve(tx, job, request, null, now, budgeted);
    jobs.insert(tx.connection(), job);
    outbox.append(tx, submittedTopic.name(), job.id(), payloadOf(job.toSubmitted()), now);
    if (cacheKey != null) {
      cache.expect(tx, List.of(new AnswerCache.Expected(job.id(), tenantId, cacheKey)));
    }
    return new Submission(job, true);
  }

  private void reserve(
      Transaction tx,
      Job job,
      JobRequest request,
      PlannedJob planned,
      Instant now,
      boolean budgeted) {
    if (budgeted) {
      long tokens =
          estimator.reservation(request, planned == null ? null : planned.estimate()).tokens();
      budget.reserve(tx, job.tenantId(), List.of(new JobBudget.Hold(job.id(), tokens)), now);
    }
  }

  /**
   * The job row and one outbox record per chunk, each with the job's header: the document never
   * travels whole, and every record is far below Kafka's 1 MB limit.
   */
  private Submission createMapReduce(
      Transaction tx, String tenantId, JobRequest request, PlannedJob planned, Instant now)
      throws SQLException {
    Job job = Job.acceptedMapReduce(ids.next(), tenantId, request, planned.spec(), now);
    jobs.insert(tx.connection(), job);
    SubmittedJob header = job.toSubmitted();
    List<OutboxWriter.Entry> entries = new ArrayList<>(planned.chunks().size());
    for (int i = 0; i < planned.chunks().size(); i++) {
      SubmittedJob chunk = header.withChunk(new DocumentChunk(i, planned.chunks().get(i)));
      entries.add(new OutboxWriter.Entry(submittedTopic.name(), job.id(), payloadOf(chunk), now));
    }
    outbox.appendAll(tx, entries);
    return new Submission(job, true);
  }

  private String payloadOf(SubmittedJob record) {
    byte[] bytes =
        submittedTopic.valueSerde().serializer().serialize(submittedTopic.name(), record);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
