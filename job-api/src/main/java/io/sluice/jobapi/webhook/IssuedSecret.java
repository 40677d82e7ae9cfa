package io.sluice.jobapi.webhook;

/**
 * An endpoint with the secret it was just given (at creation or rotation): the only time the secret
 * is shown.
 *
 * @param endpoint the endpoint
 * @param secret its new signing secret
 */
public record IssuedSecret(WebhookEndpoint endpoint, WebhookSecret secret) {}
