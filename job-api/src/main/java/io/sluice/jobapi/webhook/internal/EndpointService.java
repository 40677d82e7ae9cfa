package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.webhook.EndpointRequest;
import io.sluice.jobapi.webhook.EndpointRequestParser;
import io.sluice.jobapi.webhook.IssuedSecret;
import io.sluice.jobapi.webhook.SigningKeys;
import io.sluice.jobapi.webhook.WebhookEndpoint;
import io.sluice.jobapi.webhook.WebhookEndpoints;
import io.sluice.jobapi.webhook.WebhookNotFoundException;
import io.sluice.jobapi.webhook.WebhookSecret;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A tenant's endpoints on PostgreSQL; secrets are sealed before they are stored. */
public final class EndpointService implements WebhookEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointService.class);

  private final Database database;
  private final EndpointRepository endpoints = new EndpointRepository();
  private final TenantSecretRepository tenantSecrets = new TenantSecretRepository();
  private final EndpointRequestParser parser;
  private final Keyring keyring;
  private final WebhookIds ids;
  private final SecureRandom random;
  private final Duration rotationGrace;
  private final Clock clock;

  EndpointService(
      Database database,
      EndpointRequestParser parser,
      Keyring keyring,
      WebhookIds ids,
      SecureRandom random,
      Duration rotationGrace,
      Clock clock) {
    this.database = database;
    this.parser = parser;
    this.keyring = keyring;
    this.ids = ids;
    this.random = random;
    this.rotationGrace = rotationGrace;
    this.clock = clock;
  }

  @Override
  public IssuedSecret create(String tenantId, byte[] body) {
    EndpointRequest request = parser.parseCreate(body);
    Instant now = Clocks.now(clock);
    WebhookEndpoint endpoint =
        new WebhookEndpoint(
            ids.endpoint(),
            tenantId,
            request.url(),
            request.eventTypes(),
            request.description(),
            true,
            null,
            null,
            now,
            now);
    WebhookSecret secret = WebhookSecret.generate(random);
    byte[] sealed = keyring.seal(secret, endpoint.id());
    database.inTransaction(
        c -> {
          endpoints.insert(c, endpoint, sealed);
          return null;
        });
    LOG.info("tenant {} created webhook endpoint {}", tenantId, endpoint.id());
    return new IssuedSecret(endpoint, secret);
  }

  @Override
  public List<WebhookEndpoint> list(String tenantId) {
    return database.inTransaction(
        c ->
            endpoints.list(c, tenantId).stream().map(EndpointRepository.Stored::endpoint).toList());
  }

  @Override
  public WebhookEndpoint get(String tenantId, String endpointId) {
    requireId(endpointId);
    return database
        .inTransaction(c -> endpoints.find(c, tenantId, endpointId))
        .map(EndpointRepository.Stored::endpoint)
        .orElseThrow(() -> notFound(endpointId));
  }

  @Override
  public WebhookEndpoint update(String tenantId, String endpointId, byte[] body) {
    requireId(endpointId);
    EndpointRequest request = parser.parseUpdate(body);
    Instant now = Clocks.now(clock);
    return database.inTransaction(
        c -> {
          WebhookEndpoint current =
              endpoints
                  .lock(c, tenantId, endpointId)
                  .orElseThrow(() -> notFound(endpointId))
                  .endpoint();
          WebhookEndpoint changed = apply(current, request, now);
          endpoints.update(c, changed);
          return changed;
        });
  }

  private static WebhookEndpoint apply(
      WebhookEndpoint current, EndpointRequest request, Instant now) {
    boolean enabled = request.enabled() == null ? current.enabled() : request.enabled();
    boolean disabling = current.enabled() && !enabled;
    return new WebhookEndpoint(
        current.id(),
        current.tenantId(),
        request.url() == null ? current.url() : request.url(),
        request.eventTypes() == null ? current.eventTypes() : request.eventTypes(),
        request.description() == null ? current.description() : request.description(),
        enabled,
        enabled ? null : disabling ? "disabled by the tenant" : current.disabledReason(),
        enabled ? null : disabling ? now : current.disabledAt(),
        current.createdAt(),
        now);
  }

  @Override
  public void delete(String tenantId, String endpointId) {
    requireId(endpointId);
    if (!database.inTransaction(c -> endpoints.delete(c, tenantId, endpointId))) {
      throw notFound(endpointId);
    }
    LOG.info("tenant {} deleted webhook endpoint {}", tenantId, endpointId);
  }

  @Override
  public IssuedSecret rotateSecret(String tenantId, String endpointId) {
    requireId(endpointId);
    WebhookSecret next = WebhookSecret.generate(random);
    Instant now = Clocks.now(clock);
    WebhookEndpoint endpoint =
        database.inTransaction(
            c -> {
              EndpointRepository.Stored stored =
                  endpoints.lock(c, tenantId, endpointId).orElseThrow(() -> notFound(endpointId));
              SigningKeys keys = keyring.open(stored.keys()).rotate(next, now, rotationGrace);
              endpoints.updateSecrets(c, endpointId, keyring.seal(keys, endpointId), now);
              return stored.endpoint();
            });
    LOG.info("tenant {} rotated the secret of webhook endpoint {}", tenantId, endpointId);
    return new IssuedSecret(endpoint, next);
  }

  @Override
  public WebhookSecret rotateTenantSecret(String tenantId) {
    WebhookSecret next = WebhookSecret.generate(random);
    Instant now = Clocks.now(clock);
    database.inTransaction(
        c -> {
          tenantSecrets.insertIfAbsent(c, tenantId, keyring.seal(next, tenantId), now);
          StoredKeys stored = tenantSecrets.lock(c, tenantId).orElseThrow();
          SigningKeys current = keyring.open(stored);
          if (!current.current().equals(next)) {
            SigningKeys keys = current.rotate(next, now, rotationGrace);
            tenantSecrets.update(c, tenantId, keyring.seal(keys, tenantId), now);
          }
          return null;
        });
    LOG.info("tenant {} rotated its one-off webhook secret", tenantId);
    return next;
  }

  private static void requireId(String endpointId) {
    if (!WebhookIds.isEndpoint(endpointId)) {
      throw notFound(endpointId);
    }
  }

  private static WebhookNotFoundException notFound(String endpointId) {
    return new WebhookNotFoundException("webhook endpoint", endpointId);
  }
}
