-- Bulk runs (OpenAI-compatible Files + Batches API).
--
-- An uploaded file is stored in ~1 MiB bytea chunks written while the upload streams in, all in the
-- upload's one transaction: a refused upload (over the size limit, broken multipart, client gone)
-- rolls back and leaves nothing, and no process ever holds a whole file. Chunks rather than large
-- objects: they are ordinary rows (deleted with their file by a cascade, no lo_unlink, no orphans
-- after a crash, readable with plain SQL and the same pool settings).
--
-- A batch's output and error files are rows of kind batch_output / batch_error with no chunks:
-- their content is produced from the batch's job rows as a stream whenever it is read.
CREATE TABLE files (
    id         text        PRIMARY KEY,
    tenant_id  text        NOT NULL REFERENCES tenants (id),
    filename   text        NOT NULL,
    purpose    text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('upload', 'batch_output', 'batch_error')),
    batch_id   text,
    bytes      bigint      NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX files_tenant_created_id ON files (tenant_id, created_at DESC, id DESC);

CREATE TABLE file_chunks (
    file_id text    NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    seq     integer NOT NULL,
    data    bytea   NOT NULL,
    PRIMARY KEY (file_id, seq)
);

CREATE TABLE batches (
    id                text        PRIMARY KEY,
    tenant_id         text        NOT NULL REFERENCES tenants (id),
    input_file_id     text        NOT NULL,
    endpoint          text        NOT NULL,
    completion_window text        NOT NULL,
    status            text        NOT NULL
        CHECK (status IN ('validating', 'failed', 'in_progress', 'finalizing', 'completed',
                          'expired', 'cancelling', 'cancelled')),
    metadata          text        NOT NULL,
    errors            text,
    total             integer     NOT NULL DEFAULT 0,
    output_file_id    text,
    error_file_id     text,
    cancels_sent      boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    in_progress_at    timestamptz,
    finalizing_at     timestamptz,
    completed_at      timestamptz,
    failed_at         timestamptz,
    expired_at        timestamptz,
    cancelling_at     timestamptz,
    cancelled_at      timestamptz
);
CREATE INDEX batches_tenant_created_id ON batches (tenant_id, created_at DESC, id DESC);
CREATE INDEX batches_open ON batches (created_at) WHERE status IN ('in_progress', 'cancelling');

-- Each line of a batch is an ordinary job linked to its batch.
ALTER TABLE jobs ADD COLUMN batch_id  text;
ALTER TABLE jobs ADD COLUMN custom_id text;
CREATE INDEX jobs_batch_status ON jobs (batch_id, status) WHERE batch_id IS NOT NULL;
CREATE INDEX jobs_tenant_batch_created_id ON jobs (tenant_id, batch_id, created_at DESC, id DESC)
    WHERE batch_id IS NOT NULL;
