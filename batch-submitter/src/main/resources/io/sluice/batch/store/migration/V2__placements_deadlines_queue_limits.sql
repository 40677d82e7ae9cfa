-- Placements (where a deferred task is, published to sluice.task-results), deadline fallback and
-- expiry, and provider batch queue limits.

-- The estimated prompt tokens an item adds to its provider's batch queue, and its last placement
-- (carried by its terminal result).
ALTER TABLE pending_item ADD COLUMN input_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pending_item ADD COLUMN placement JSONB;

CREATE INDEX pending_item_deadline ON pending_item (deadline)
    WHERE state IN ('PENDING', 'IN_BATCH') AND deadline IS NOT NULL;
CREATE INDEX pending_item_falling_back ON pending_item (item_id) WHERE state = 'FALLING_BACK';
CREATE INDEX pending_item_job ON pending_item (job_id);

-- What a batch adds to its provider's queue, and whether the provider refused it for room.
ALTER TABLE provider_batch ADD COLUMN queued_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE provider_batch ADD COLUMN refused_for_room BOOLEAN NOT NULL DEFAULT false;

CREATE INDEX provider_batch_refused ON provider_batch (provider, model, failed_at)
    WHERE refused_for_room;
CREATE INDEX provider_batch_created ON provider_batch (provider, submitted_at);

-- Placements to publish, in the order they were recorded. A row is deleted once Kafka has it.
CREATE TABLE placement_outbox (
    seq      BIGSERIAL  PRIMARY KEY,
    item_id  BIGINT     NOT NULL REFERENCES pending_item (item_id),
    job_id   TEXT       NOT NULL,
    result   JSONB      NOT NULL
);
