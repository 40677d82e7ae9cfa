package io.sluice.simulator.internal.batch;

import io.sluice.simulator.BatchQueueLimits;
import io.sluice.simulator.BatchQueueRow;
import io.sluice.simulator.internal.batch.BatchQueue.Level;
import io.sluice.simulator.internal.batch.BatchQueue.LineCost;
import io.sluice.simulator.internal.meter.MeterRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One API account's batch limits in front of its queue: creations per hour, enqueued tokens per
 * model, requests in the queue. Records every admission (with the queue's new level, for the
 * meter's peaks) and every refusal. Callers hold the gate's lock from the check to {@link #queued},
 * so that two creations cannot both pass a check that only one of them fits.
 */
public final class QueueGate {
  /** The organization the providers name in their limit messages. */
  public static final String ORGANIZATION = "org-sluice-simulator";

  private final String api;
  private final BatchQueueLimits limits;
  private final MeterRecorder meter;
  private final BatchQueue queue = new BatchQueue();
  private final CreationWindow creations;

  public QueueGate(String api, BatchQueueLimits limits, MeterRecorder meter) {
    this.api = api;
    this.limits = limits;
    this.meter = meter;
    this.creations = new CreationWindow(limits.batchCreationsPerHour(), Duration.ofHours(1));
  }

  public BatchQueueLimits limits() {
    return limits;
  }

  /**
   * Counts a creation against the creations per hour.
   *
   * @return empty when allowed, else how long until a creation is allowed again
   */
  public Optional<Duration> admitCreation(Instant now, String model) {
    Optional<Duration> wait = creations.admit(now);
    if (wait.isPresent()) {
      meter.batchCreationRefused(api, model);
      meter.batchCreationRefused(api, BatchQueueRow.ACCOUNT);
    }
    return wait;
  }

  /** Whether a batch of {@code model} with this demand stays within the model's enqueued tokens. */
  public boolean tokensFit(Instant now, String model, Level demand) {
    boolean fits =
        queue.level(now).tokens(model) + demand.tokens(model) <= limits.enqueuedTokensFor(model);
    if (!fits) {
      refused(demand);
    }
    return fits;
  }

  /**
   * Whether a batch with this demand stays within the account's requests in the queue.
   *
   * @return empty when it fits, else how long until it would
   */
  public Optional<Duration> requestsFit(Instant now, Level demand) {
    long limit = limits.queuedRequests();
    long wanted = demand.totalRequests();
    if (queue.level(now).totalRequests() + wanted <= limit) {
      return Optional.empty();
    }
    refused(demand);
    Instant fits = queue.whenFits(now, level -> level.totalRequests() + wanted <= limit);
    return Optional.of(Duration.between(now, fits));
  }

  /** The number of requests now in the queue. */
  public long queuedRequests(Instant now) {
    return queue.level(now).totalRequests();
  }

  /** A created batch takes its place in the queue. */
  public void queued(Instant now, SimBatch batch, List<LineCost> costs, Level demand) {
    queue.add(batch, costs);
    Level level = queue.level(now);
    demand
        .requests()
        .forEach(
            (model, lines) ->
                meter.batchQueued(api, model, lines, level.tokens(model), level.requests(model)));
    meter.batchQueued(
        api,
        BatchQueueRow.ACCOUNT,
        demand.totalRequests(),
        level.totalTokens(),
        level.totalRequests());
  }

  /** A batch that is created but fails validation: counted, holds no place. */
  public void createdInvalid(String model, long lines) {
    meter.batchQueued(api, model, lines, 0, 0);
    meter.batchQueued(api, BatchQueueRow.ACCOUNT, lines, 0, 0);
  }

  private void refused(Level demand) {
    demand.requests().keySet().forEach(model -> meter.batchQueueRefused(api, model));
    meter.batchQueueRefused(api, BatchQueueRow.ACCOUNT);
  }
}
