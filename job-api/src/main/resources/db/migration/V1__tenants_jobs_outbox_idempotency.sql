-- job-api's store. One table per concern; the SQL that touches each lives in one repository class.

CREATE TABLE tenants (
    id         text        PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

-- Keys are stored as SHA-256 hashes of high-entropy random keys, never in plain text.
CREATE TABLE api_keys (
    id             text        PRIMARY KEY,
    tenant_id      text        NOT NULL REFERENCES tenants (id),
    key_hash       text        NOT NULL UNIQUE,
    display_prefix text        NOT NULL,
    created_at     timestamptz NOT NULL,
    revoked_at     timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE jobs (
    id             text        PRIMARY KEY,
    tenant_id      text        NOT NULL REFERENCES tenants (id),
    type           text        NOT NULL,
    status         text        NOT NULL
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired')),
    model          text        NOT NULL,
    priority       text        NOT NULL,
    mode           text        NOT NULL,
    deadline       timestamptz,
    request        jsonb       NOT NULL,
    metadata       jsonb       NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    output         text,
    input_tokens   bigint,
    output_tokens  bigint,
    provider       text,
    provider_model text,
    cost_usd       numeric(20, 10),
    error          jsonb,
    attempts       integer     NOT NULL DEFAULT 0,
    started_at     timestamptz,
    finished_at    timestamptz,
    last_event_id  text
);
CREATE INDEX jobs_tenant_created ON jobs (tenant_id, created_at DESC);

-- Transactional outbox: written in the same transaction as the job, deleted once Kafka acked it.
CREATE TABLE outbox (
    id         bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL
);

-- Idempotency-Key per tenant; the primary key is what makes concurrent retries safe.
CREATE TABLE idempotency_keys (
    tenant_id           text        NOT NULL REFERENCES tenants (id),
    idempotency_key     text        NOT NULL,
    request_fingerprint text        NOT NULL,
    job_id              text        NOT NULL REFERENCES jobs (id),
    created_at          timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
