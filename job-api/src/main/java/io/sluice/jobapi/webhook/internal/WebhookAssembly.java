package io.sluice.jobapi.webhook.internal;

import io.sluice.egress.EgressClient;
import io.sluice.egress.EgressGuard;
import io.sluice.jobapi.bulk.batches.BatchEndedListener;
import io.sluice.jobapi.job.JobFinishedListener;
import io.sluice.jobapi.job.WebhookUrlCheck;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.webhook.DeliveryPolicy;
import io.sluice.jobapi.webhook.EndpointRequestParser;
import io.sluice.jobapi.webhook.SecretCipher;
import io.sluice.jobapi.webhook.WebhookDeliveries;
import io.sluice.jobapi.webhook.WebhookEndpoints;
import io.sluice.jobapi.webhook.WebhookParts;
import io.sluice.jobapi.webhook.WebhookSettings;
import io.sluice.lifecycle.BackgroundLoop;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/** Builds the webhook feature from its settings: the one place its parts are put together. */
public final class WebhookAssembly implements WebhookParts {
  // The projection commits right after its listener returns; a wake this much later finds the rows,
  // and under load it makes at most 20 extra claims a second.
  private static final Duration ENQUEUE_SETTLE = Duration.ofMillis(50);
  private final Database database;
  private final WebhookSettings settings;
  private final Clock clock;
  private final Keyring keyring;
  private final EgressGuard guard;
  private final WebhookUrlCheck urlCheck;
  private final DeliveryEnqueuer enqueuer;
  private final BatchDeliveryEnqueuer batchEnqueuer;
  private final EnqueueWake enqueueWake;
  private final EndpointService endpoints;
  private final DeliveryQueries deliveries;
  private final SecureRandom random;
  private volatile BackgroundLoop loop;
  private volatile WebhookSender sender;
  private volatile BackgroundLoop purge;

  public WebhookAssembly(
      Database database, WebhookSettings settings, SecureRandom random, Clock clock) {
    this.database = database;
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.keyring = new Keyring(SecretCipher.fromBase64(settings.secretKey(), random));
    this.guard = new EgressGuard(settings.egress(), settings.resolver());
    this.urlCheck = new EgressUrlCheck(guard);
    WebhookIds ids = new WebhookIds(clock, random);
    this.enqueueWake = new EnqueueWake(ENQUEUE_SETTLE);
    this.enqueuer = new DeliveryEnqueuer(keyring, ids, random, clock, enqueueWake::signal);
    this.batchEnqueuer = new BatchDeliveryEnqueuer(clock, enqueueWake::signal);
    this.endpoints =
        new EndpointService(
            database,
            new EndpointRequestParser(urlCheck),
            keyring,
            ids,
            random,
            settings.rotationGrace(),
            clock);
    this.deliveries = new DeliveryQueries(database, this::wakeSender, clock);
  }

  @Override
  public WebhookUrlCheck urlCheck() {
    return urlCheck;
  }

  @Override
  public JobFinishedListener finishedListener() {
    return enqueuer;
  }

  @Override
  public BatchEndedListener batchEndedListener() {
    return batchEnqueuer;
  }

  @Override
  public WebhookEndpoints endpoints() {
    return endpoints;
  }

  @Override
  public WebhookDeliveries deliveries() {
    return deliveries;
  }

  @Override
  public synchronized void startSender() {
    if (!settings.senderEnabled() || loop != null) {
      return;
    }
    sender =
        new WebhookSender(
            database,
            new EgressClient(guard, settings.timeout(), settings.timeout()),
            keyring,
            new DeliveryPolicy(settings.schedule(), random::nextDouble),
            settings.senderThreads(),
            settings.endpointConcurrency(),
            settings.timeout(),
            settings.lease(),
            clock);
    loop =
        new BackgroundLoop(
            "webhook sender",
            BackgroundLoop.Settings.idleWait(settings.pollInterval()),
            sender::step);
    sender.onSlotFreed(loop::wake);
    enqueueWake.wakes(loop::wake);
    loop.start();
    DeliveryPurge deliveryPurge = new DeliveryPurge(database, settings.retention(), clock);
    purge =
        new BackgroundLoop(
            "webhook delivery purge",
            BackgroundLoop.Settings.idleWait(DeliveryPurge.INTERVAL),
            deliveryPurge::step);
    purge.start();
  }

  private void wakeSender() {
    BackgroundLoop current = loop;
    if (current != null) {
      current.wake();
    }
  }

  @Override
  public synchronized void close() {
    enqueueWake.close();
    if (loop != null) {
      purge.close();
      loop.close();
      sender.close();
      loop = null;
    }
  }
}
