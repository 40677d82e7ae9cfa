-- The deferred lane's durable state: every pending task, every provider batch Sluice created or
-- intends to create, and which task is which line of which batch.

CREATE TABLE pending_item (
    item_id          BIGSERIAL    PRIMARY KEY,
    task_id          TEXT         NOT NULL UNIQUE,
    job_id           TEXT         NOT NULL,
    provider         TEXT         NOT NULL,
    model            TEXT         NOT NULL,
    task             JSONB        NOT NULL,
    line_bytes       BIGINT       NOT NULL,
    state            TEXT         NOT NULL,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    max_batch_lines  INTEGER      NOT NULL,
    deadline         TIMESTAMPTZ,
    received_at      TIMESTAMPTZ  NOT NULL,
    eligible_at      TIMESTAMPTZ  NOT NULL,
    batch_id         TEXT,
    last_error_code  TEXT,
    result           JSONB,
    updated_at       TIMESTAMPTZ  NOT NULL
);

CREATE INDEX pending_item_waiting ON pending_item (provider, model, eligible_at)
    WHERE state = 'PENDING';
CREATE INDEX pending_item_done ON pending_item (item_id) WHERE state = 'DONE';

CREATE TABLE provider_batch (
    batch_id           TEXT         PRIMARY KEY,
    provider           TEXT         NOT NULL,
    model              TEXT         NOT NULL,
    line_count         INTEGER      NOT NULL,
    phase              TEXT         NOT NULL,
    provider_batch_id  TEXT,
    provider_status    TEXT,
    failure_code       TEXT,
    planned_at         TIMESTAMPTZ  NOT NULL,
    submitting_at      TIMESTAMPTZ,
    submitted_at       TIMESTAMPTZ,
    ended_at           TIMESTAMPTZ,
    collected_at       TIMESTAMPTZ,
    published_at       TIMESTAMPTZ,
    failed_at          TIMESTAMPTZ,
    next_poll_at       TIMESTAMPTZ,
    UNIQUE (provider, provider_batch_id)
);

CREATE INDEX provider_batch_open ON provider_batch (phase)
    WHERE phase NOT IN ('PUBLISHED', 'FAILED');

CREATE TABLE batch_member (
    batch_id   TEXT     NOT NULL REFERENCES provider_batch (batch_id),
    custom_id  TEXT     NOT NULL,
    item_id    BIGINT   NOT NULL REFERENCES pending_item (item_id),
    attempt    INTEGER  NOT NULL,
    outcome    TEXT,
    PRIMARY KEY (batch_id, custom_id)
);

CREATE INDEX batch_member_item ON batch_member (item_id);
