-- The exact-match result cache (issue 16). A deterministic job's answer is kept per tenant under the
-- hash of its model, messages, parameters and schema; an identical job of the same tenant within the
-- TTL is answered from it without a provider call.

-- Jobs whose answer will be cached once they succeed: written with the job, removed when it ends.
CREATE TABLE result_cache_pending (
    job_id    text  PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    tenant_id text  NOT NULL,
    cache_key bytea NOT NULL
);

-- One answer per tenant and key: the latest job that succeeded with it. It expires at stored_at plus
-- the tenant's TTL as it is when read, so a shorter TTL (or 0) applies to answers kept before.
CREATE TABLE result_cache (
    tenant_id  text        NOT NULL REFERENCES tenants (id),
    cache_key  bytea       NOT NULL,
    job_id     text        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    stored_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, cache_key)
);
CREATE INDEX result_cache_age ON result_cache (stored_at);

-- The tenant's TTL for cached answers in seconds; NULL: the deployment's default; 0: never cached.
ALTER TABLE tenants ADD COLUMN cache_ttl_seconds bigint CHECK (cache_ttl_seconds >= 0);

-- A job answered from the cache: the job whose answer it got and what that answer had cost.
ALTER TABLE jobs ADD COLUMN cached_from text, ADD COLUMN cache_saved_usd numeric(24, 10);

-- The ledger notes cached answers (booked at zero cost) and what they saved.
ALTER TABLE usage_daily
    ADD COLUMN cached_jobs bigint NOT NULL DEFAULT 0,
    ADD COLUMN cache_saved_usd numeric(24, 10) NOT NULL DEFAULT 0;
