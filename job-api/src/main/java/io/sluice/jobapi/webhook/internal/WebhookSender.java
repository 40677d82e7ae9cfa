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
 * Sends due deliveries. A {@link BackgroundLoop} step claims as many as there are free send slots
 * (leasing them in PostgreSQL), never more than {@code endpointConcurrency} per endpoint, and hands
 * each to a bounded pool: a slow or dead endpoint holds at most its own slots, never the others',
 * and never a job-intake or projection thread. A send queues its result and frees its slot; the
 * loop's next step records every queued result in one transaction (a few statements for all of
 * them, see {@link ResultRecorder}) together with its next claim. The policy decides what comes
 * next.
 */
final class WebhookSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
  private static final int CANDIDATES_PER_SLOT = 4;

  private final Database database;
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final ResultRecorder recorder = new ResultRecorder();
  private final Queue<SendResult> results = new ConcurrentLinkedQueue<>();
  private final EgressClient client;
  private final Keyring keyring;
  private final DeliveryPolicy policy;
  private final int slots;
  private final int perEndpoint;
  private final Duration lease;
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
      Duration lease,
      Clock clock) {
    this.database = database;
    this.client = client;
    this.keyring = keyring;
    this.policy = policy;
    this.slots = slots;
    this.perEndpoint = perEndpoint;
    this.lease = lease;
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
    // Free slots first: a send releases its slot after queueing its result, so every slot counted
    // here has its result drained below and recorded (an endpoint's pause too) before the claim.
    int free = slots - busySlots.get();
    List<SendResult> done = drainResults();
    if (free <= 0 && done.isEmpty()) {
      return BackgroundLoop.Next.IDLE;
    }
    String token = UUID.randomUUID().toString();
    List<DeliveryRepository.Claimed> claimed = recordAndClaim(done, free, token);
    done.forEach(WebhookSender::log);
    claimed.forEach(this::reserve);
    claimed.forEach(delivery -> pool.execute(() -> sendAndQueue(delivery, token)));
    return free > 0 && claimed.size() == free ? BackgroundLoop.Next.MORE : BackgroundLoop.Next.IDLE;
  }

  private List<SendResult> drainResults() {
    List<SendResult> done = new ArrayList<>();
    for (SendResult result = results.poll(); result != null; result = results.poll()) {
      done.add(result);
    }
    return done;
  }

  private List<DeliveryRepository.Claimed> recordAndClaim(
      List<SendResult> done, int free, String token) {
    try {
      return database.inTransaction(
          c -> {
            recorder.record(c, done);
            return free > 0 ? claim(c, free, token) : List.of();
          });
    } catch (RuntimeException e) {
      if (!done.isEmpty()) {
        LOG.warn(
            "the results of {} webhook sends could not be recorded ({}); they are sent again when"
                + " their leases end",
            done.size(),
            e.getMessage());
      }
      throw e;
    }
  }

  private List<DeliveryRepository.Claimed> claim(Connection c, int free, String token)
      throws SQLException {
    Instant now = Clocks.now(clock);
    List<DeliveryRepository.Claimed> due =
        deliveries.lockDue(c, now, busyTargets(), perEndpoint, free * CANDIDATES_PER_SLOT);
    List<DeliveryRepository.Claimed> chosen = withinLimits(due, free);
    if (!chosen.isEmpty()) {
      List<String> ids = chosen.stream().map(DeliveryRepository.Claimed::id).toList();
      deliveries.lease(c, ids, token, now.plus(lease), now);
    }
    return chosen;
  }

  private Set<String> busyTargets() {
    return inFlight.entrySet().stream()
        .filter(entry -> entry.getValue().get() >= perEndpoint)
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  private List<DeliveryRepository.Claimed> withinLimits(
      List<DeliveryRepository.Claimed> due, int free) {
    Map<String, Integer> counts = new HashMap<>();
    List<DeliveryRepository.Claimed> chosen = new ArrayList<>();
    for (DeliveryRepository.Claimed delivery : due) {
      String target = delivery.target();
      int running = inFlight.getOrDefault(target, new AtomicInteger()).get();
      int count = counts.getOrDefault(target, running);
      if (chosen.size() < free && count < perEndpoint) {
        chosen.add(delivery);
        counts.put(target, count + 1);
      }
    }
    return chosen;
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

  private void sendAndQueue(DeliveryRepository.Claimed delivery, String token) {
    try {
      results.add(resultOf(delivery, token, send(delivery)));
    } catch (RuntimeException e) {
      LOG.warn(
          "webhook delivery {} failed to send ({}); it is sent again when its lease ends",
          delivery.id(),
          e.getMessage());
    } finally {
      release(delivery);
    }
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
