package io.sluice.jobapi.webhook.internal;

import io.sluice.egress.EgressClient;
import io.sluice.egress.EgressResponse;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.webhook.Attempt;
import io.sluice.jobapi.webhook.AttemptResult;
import io.sluice.jobapi.webhook.DeliveryPolicy;
import io.sluice.jobapi.webhook.DeliveryStatus;
import io.sluice.jobapi.webhook.SigningKeys;
import io.sluice.jobapi.webhook.WebhookSigner;
import io.sluice.lifecycle.BackgroundLoop;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends due deliveries. A {@link BackgroundLoop} step claims due deliveries for the free send slots
 * (leasing them in PostgreSQL) as lanes ({@link LanePlan}: a few deliveries to one endpoint, sent
 * one after the other by one slot), never more than {@code endpointConcurrency} lanes per endpoint,
 * and hands each lane to a bounded pool: a slow or dead endpoint holds at most its own slots, never
 * the others', and never a job-intake or projection thread. A lane stops at its first failure and
 * gives the rest back. Sends queue their results; the loop's next step records every queued result
 * in one transaction (a few statements for all of them, see {@link ResultRecorder}) together with
 * its next claim. The policy decides what comes next.
 */
final class WebhookSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  private static final int CANDIDATES_PER_SLOT = 4;

  private final Database database;
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final ResultRecorder recorder = new ResultRecorder();
  private final Queue<SendResult> results = new ConcurrentLinkedQueue<>();
  private final Queue<ResultRecorder.Unsent> unsent = new ConcurrentLinkedQueue<>();
  private final EgressClient client;
  private final Keyring keyring;
  private final DeliveryPolicy policy;
  private final int slots;
  private final int perEndpoint;
  private final Duration timeout;
  private final Duration lease;
  private final int perLane;
  private final Clock clock;
  private final ExecutorService pool;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final AtomicInteger busySlots = new AtomicInteger();
  private volatile Runnable wake = () -> {};

  WebhookSender(
      Database database,
      EgressClient client,
      Keyring keyring,
      DeliveryPolicy policy,
      int slots,
      int perEndpoint,
      Duration timeout,
      Duration lease,
      Clock clock) {
    this.database = database;
    this.client = client;
    this.keyring = keyring;
    this.policy = policy;
    this.slots = slots;
    this.perEndpoint = perEndpoint;
    this.timeout = timeout;
    this.lease = lease;
    this.perLane = LanePlan.perLane(timeout, lease);
    this.clock = clock;
    AtomicInteger threads = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            slots,
            r ->
                Thread.ofPlatform()
                    .daemon()
                    .name("sluice-webhook-send-" + threads.incrementAndGet())
                    .unstarted(r));
  }

  /** What to call when a send ends and a slot is free (the loop's wake). */
  void onSlotFreed(Runnable value) {
    this.wake = value;
  }

  /**
   * Records the sends that have ended and claims due deliveries for the free slots, in one
   * transaction, and starts sending them.
   */
  BackgroundLoop.Next step() {
    // Free slots first: a lane releases its slot after queueing its results, so every slot counted
    // here has its results drained below and recorded (an endpoint's pause too) before the claim.
    int free = slots - busySlots.get();
    List<SendResult> done = drainResults();
    List<ResultRecorder.Unsent> notSent = drain(unsent);
    if (free <= 0 && done.isEmpty() && notSent.isEmpty()) {
      return BackgroundLoop.Next.IDLE;
    }
    String token = UUID.randomUUID().toString();
    Instant now = Clocks.now(clock);
    Instant leaseEnds = now.plus(lease);
    List<List<DeliveryRepository.Claimed>> lanes =
        recordAndClaim(done, notSent, free, token, now, leaseEnds);
    done.forEach(WebhookSender::log);
    for (List<DeliveryRepository.Claimed> lane : lanes) {
      reserve(lane.getFirst());
      pool.execute(() -> sendLane(lane, token, leaseEnds));
    }
    return free > 0 && lanes.size() == free ? BackgroundLoop.Next.MORE : BackgroundLoop.Next.IDLE;
  }

  private List<SendResult> drainResults() {
    return drain(results);
  }

  private static <T> List<T> drain(Queue<T> queue) {
    List<T> drained = new ArrayList<>();
    for (T item = queue.poll(); item != null; item = queue.poll()) {
      drained.add(item);
    }
    return drained;
  }

  private List<List<DeliveryRepository.Claimed>> recordAndClaim(
      List<SendResult> done,
      List<ResultRecorder.Unsent> notSent,
      int free,
      String token,
      Instant now,
      Instant leaseEnds) {
    try {
      return database.inTransaction(
          c -> {
            recorder.record(c, done);
            recorder.giveBack(c, notSent, now);
            return free > 0 ? claim(c, free, token, now, leaseEnds) : List.of();
          });
    } catch (RuntimeException e) {
      if (!done.isEmpty() || !notSent.isEmpty()) {
        LOG.warn(
            "the results of {} webhook sends could not be recorded ({}); they are sent again when"
                + " their leases end",
            done.size() + notSent.size(),
            e.getMessage());
      }
      throw e;
    }
  }

  private List<List<DeliveryRepository.Claimed>> claim(
      Connection c, int free, String token, Instant now, Instant leaseEnds) throws SQLException {
    List<DeliveryRepository.Claimed> due =
        deliveries.lockDue(
            c, now, busyTargets(), perEndpoint * perLane, free * perLane * CANDIDATES_PER_SLOT);
    Map<String, Integer> running = new HashMap<>();
    inFlight.forEach((target, count) -> running.put(target, count.get()));
    List<List<DeliveryRepository.Claimed>> lanes =
        LanePlan.plan(due, DeliveryRepository.Claimed::target, running, perEndpoint, free, perLane);
    if (!lanes.isEmpty()) {
      List<String> ids =
          lanes.stream().flatMap(List::stream).map(DeliveryRepository.Claimed::id).toList();
      deliveries.lease(c, ids, token, leaseEnds, now);
    }
    return lanes;
  }

  private Set<String> busyTargets() {
    return inFlight.entrySet().stream()
        .filter(entry -> entry.getValue().get() >= perEndpoint)
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  private void reserve(DeliveryRepository.Claimed delivery) {
    busySlots.incrementAndGet();
    inFlight.computeIfAbsent(delivery.target(), t -> new AtomicInteger()).incrementAndGet();
  }

  private void release(DeliveryRepository.Claimed delivery) {
    inFlight.computeIfPresent(
        delivery.target(), (t, count) -> count.decrementAndGet() <= 0 ? null : count);
    busySlots.decrementAndGet();
    wake.run();
  }

  // Sends the lane's deliveries one after the other. After a failure, or when another send might
  // outlast the lease, the rest are given back unsent (due again, no attempt counted).
  private void sendLane(List<DeliveryRepository.Claimed> lane, String token, Instant leaseEnds) {
    int sent = 0;
    try {
      for (DeliveryRepository.Claimed delivery : lane) {
        SendResult result = resultOf(delivery, token, send(delivery));
        results.add(result);
        sent++;
        if (result.decision().status() != DeliveryStatus.SUCCEEDED || !timeForAnother(leaseEnds)) {
          break;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "webhook delivery {} failed to send ({}); it is sent again when its lease ends",
          lane.get(sent).id(),
          e.getMessage());
      sent++;
    } finally {
      lane.subList(Math.min(sent, lane.size()), lane.size())
          .forEach(d -> unsent.add(new ResultRecorder.Unsent(d.id(), token)));
      release(lane.getFirst());
    }
  }

  private boolean timeForAnother(Instant leaseEnds) {
    return clock.instant().plus(timeout).isBefore(leaseEnds);
  }

  private AttemptResult send(DeliveryRepository.Claimed delivery) {
    if (delivery.keys() == null) {
      return AttemptResult.noResponse("no signing secret for this delivery", Duration.ZERO);
    }
    SigningKeys keys;
    try {
      keys = keyring.open(delivery.keys());
    } catch (IllegalStateException e) {
      return AttemptResult.noResponse(
          "its signing secret cannot be decrypted (was webhookSecretKey changed?)", Duration.ZERO);
    }
    Instant now = clock.instant();
    byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json");
    headers.put("user-agent", "Sluice-Webhooks/1");
    headers.putAll(
        WebhookSigner.headers(delivery.id(), now.getEpochSecond(), body, keys.signingAt(now)));
    return toResult(client.post(URI.create(delivery.url()), headers, body));
  }

  private static AttemptResult toResult(EgressResponse response) {
    return switch (response.outcome()) {
      case RESPONDED ->
          AttemptResult.response(response.status(), response.retryAfter(), response.latency());
      case REFUSED_DESTINATION ->
          AttemptResult.noResponse("destination refused: " + response.error(), response.latency());
      case CONNECT_FAILED ->
          AttemptResult.noResponse("connection failed: " + response.error(), response.latency());
      case TIMED_OUT ->
          AttemptResult.noResponse("timed out: " + response.error(), response.latency());
      case FAILED -> AttemptResult.noResponse("failed: " + response.error(), response.latency());
    };
  }

  private SendResult resultOf(
      DeliveryRepository.Claimed delivery, String token, AttemptResult result) {
    Instant now = Clocks.now(clock);
    int attemptsMade = delivery.attempts() + 1;
    boolean oneOff = delivery.endpointId() == null;
    DeliveryPolicy.Decision decision =
        policy.decide(result, attemptsMade, now, oneOff ? null : delivery.failingSince());
    Attempt attempt =
        new Attempt(
            now,
            result.responded() ? result.statusCode() : null,
            result.latency().toMillis(),
            result.error());
    return new SendResult(delivery, token, attemptsMade, attempt, decision);
  }

  private static void log(SendResult result) {
    DeliveryRepository.Claimed delivery = result.delivery();
    DeliveryPolicy.Decision decision = result.decision();
    int attemptsMade = result.attemptsMade();
    if (decision.disableReason() != null && delivery.endpointId() != null) {
      LOG.warn("webhook endpoint {} disabled: {}", delivery.endpointId(), decision.disableReason());
    }
    if (decision.status() == DeliveryStatus.DEAD) {
      LOG.warn(
          "webhook delivery {} gave up after {} attempts ({})",
          delivery.id(),
          attemptsMade,
          result.attempt().error());
    } else {
      LOG.debug(
          "webhook delivery {} attempt {}: {}, next at {}",
          delivery.id(),
          attemptsMade,
          result.attempt().error() == null ? "delivered" : result.attempt().error(),
          decision.nextAttemptAt());
    }
  }

  /** Stops sending: sends under way are cut off and their deliveries sent again after the lease. */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("webhook sends still running at close; their leases will end and they resend");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    recordLeftovers();
    client.close();
  }

  // Sends that ended after the loop's last step: recorded now, or sent again after their leases.
  private void recordLeftovers() {
    List<SendResult> done = drainResults();
    if (done.isEmpty()) {
      return;
    }
    try {
      database.inTransaction(c -> recorder.record(c, done));
    } catch (RuntimeException e) {
      LOG.warn(
          "the results of {} webhook sends could not be recorded at close ({}); they are sent"
              + " again when their leases end",
          done.size(),
          e.getMessage());
    }
  }
}
