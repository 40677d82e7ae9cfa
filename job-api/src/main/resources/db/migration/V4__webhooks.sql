-- Webhooks (issue 10). Secrets are stored encrypted (AES-256-GCM with the key of the setting
-- webhookSecretKey; 12-byte nonce followed by ciphertext and tag), so a dump alone reveals none.

-- A job may name a one-off webhook URL, signed with its tenant's default secret.
ALTER TABLE jobs ADD COLUMN webhook_url text;

CREATE TABLE webhook_endpoints (
    id                         text        PRIMARY KEY,
    tenant_id                  text        NOT NULL REFERENCES tenants (id),
    url                        text        NOT NULL,
    event_types                text        NOT NULL, -- JSON array of event type names
    description                text        NOT NULL,
    enabled                    boolean     NOT NULL,
    disabled_reason            text,
    disabled_at                timestamptz,
    secret                     bytea       NOT NULL,
    previous_secret            bytea,
    previous_secret_expires_at timestamptz,
    failing_since              timestamptz, -- first failure since the last success
    paused_until               timestamptz, -- slowed down by 429/502/503/504 or Retry-After
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, created_at);

-- The secret that signs a tenant's one-off webhooks (a job's "webhook": {"url": ...}).
CREATE TABLE webhook_tenant_secrets (
    tenant_id                  text        PRIMARY KEY REFERENCES tenants (id),
    secret                     bytea       NOT NULL,
    previous_secret            bytea,
    previous_secret_expires_at timestamptz,
    updated_at                 timestamptz NOT NULL
);

-- One event to one destination. The id (msg_...) is the webhook-id header: the same on every
-- attempt and replay. A claimed delivery has next_attempt_at moved past the send (its lease) and a
-- claim token; a sender that dies leaves it to be claimed again when the lease ends.
CREATE TABLE webhook_deliveries (
    id              text        PRIMARY KEY,
    tenant_id       text        NOT NULL REFERENCES tenants (id),
    endpoint_id     text        REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    url             text,       -- a one-off webhook's URL (endpoint_id is then null)
    job_id          text        NOT NULL,
    event_type      text        NOT NULL,
    payload         text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    claim_token     text,
    last_error      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK ((endpoint_id IS NULL) <> (url IS NULL))
);
-- A sender looks for due deliveries per endpoint that may be sent to now (enabled, not paused, not
-- at its concurrency limit), so a backlog for a dead endpoint is never scanned; one-off webhooks
-- have their own index.
CREATE INDEX webhook_deliveries_due_by_endpoint ON webhook_deliveries (endpoint_id, next_attempt_at)
    WHERE status IN ('pending', 'failed') AND endpoint_id IS NOT NULL;
CREATE INDEX webhook_deliveries_due_one_off ON webhook_deliveries (next_attempt_at)
    WHERE status IN ('pending', 'failed') AND endpoint_id IS NULL;
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);

CREATE TABLE webhook_attempts (
    id           bigserial   PRIMARY KEY,
    delivery_id  text        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at timestamptz NOT NULL,
    status_code  integer,
    latency_ms   bigint      NOT NULL,
    error        text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);
