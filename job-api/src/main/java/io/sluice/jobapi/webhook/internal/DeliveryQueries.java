package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.webhook.Attempt;
import io.sluice.jobapi.webhook.Delivery;
import io.sluice.jobapi.webhook.WebhookDeliveries;
import io.sluice.jobapi.webhook.WebhookNotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** A tenant's deliveries and their attempts; replays. Another tenant's are not found. */
public final class DeliveryQueries implements WebhookDeliveries {
  private final Database database;
  private final EndpointRepository endpoints = new EndpointRepository();
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final AttemptRepository attempts = new AttemptRepository();
  private final Runnable wakeSender;
  private final Clock clock;

  DeliveryQueries(Database database, Runnable wakeSender, Clock clock) {
    this.database = database;
    this.wakeSender = wakeSender;
    this.clock = clock;
  }

  @Override
  public List<Delivery> list(String tenantId, String endpointId, int limit) {
    return database.inTransaction(
        c -> {
          requireEndpoint(c, tenantId, endpointId);
          return deliveries.list(c, tenantId, endpointId, limit);
        });
  }

  @Override
  public List<Attempt> attempts(String tenantId, String endpointId, String deliveryId) {
    return database.inTransaction(
        c -> {
          requireDelivery(c, tenantId, endpointId, deliveryId);
          return attempts.list(c, deliveryId);
        });
  }

  @Override
  public Delivery replay(String tenantId, String endpointId, String deliveryId) {
    Instant now = Clocks.now(clock);
    Delivery replayed =
        database.inTransaction(
            c -> {
              requireDelivery(c, tenantId, endpointId, deliveryId);
              deliveries.replay(c, tenantId, endpointId, deliveryId, now);
              return deliveries.find(c, tenantId, endpointId, deliveryId).orElseThrow();
            });
    wakeSender.run();
    return replayed;
  }

  @Override
  public int replaySince(String tenantId, String endpointId, Instant since) {
    Instant now = Clocks.now(clock);
    int replayed =
        database.inTransaction(
            c -> {
              requireEndpoint(c, tenantId, endpointId);
              return deliveries.replaySince(c, tenantId, endpointId, since, now);
            });
    wakeSender.run();
    return replayed;
  }

  @Override
  public List<Delivery> ofJob(String tenantId, String jobId) {
    return database.inTransaction(c -> deliveries.ofJob(c, tenantId, jobId));
  }

  @Override
  public List<Attempt> attempts(String tenantId, String deliveryId) {
    return database.inTransaction(
        c -> {
          requireDelivery(c, tenantId, deliveryId);
          return attempts.list(c, deliveryId);
        });
  }

  @Override
  public Delivery replay(String tenantId, String deliveryId) {
    Instant now = Clocks.now(clock);
    Delivery replayed =
        database.inTransaction(
            c -> {
              requireDelivery(c, tenantId, deliveryId);
              deliveries.replay(c, tenantId, null, deliveryId, now);
              return deliveries.find(c, tenantId, null, deliveryId).orElseThrow();
            });
    wakeSender.run();
    return replayed;
  }

  private void requireEndpoint(Connection c, String tenantId, String endpointId)
      throws SQLException {
    if (!WebhookIds.isEndpoint(endpointId) || endpoints.find(c, tenantId, endpointId).isEmpty()) {
      throw new WebhookNotFoundException("webhook endpoint", endpointId);
    }
  }

  private void requireDelivery(Connection c, String tenantId, String endpointId, String id)
      throws SQLException {
    requireEndpoint(c, tenantId, endpointId);
    requireDeliveryTo(c, tenantId, endpointId, id);
  }

  private void requireDelivery(Connection c, String tenantId, String id) throws SQLException {
    requireDeliveryTo(c, tenantId, null, id);
  }

  private void requireDeliveryTo(Connection c, String tenantId, String endpointId, String id)
      throws SQLException {
    if (!WebhookIds.isDelivery(id) || deliveries.find(c, tenantId, endpointId, id).isEmpty()) {
      throw new WebhookNotFoundException("delivery", id);
    }
  }
}
