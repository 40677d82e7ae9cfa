-- The dashboard (GET /v1/dashboard, the page at /ui): operator tenants, and indexes that bound each
-- of its statements by the last hour's jobs, the jobs not finished, or a LIMIT, never by the size of
-- the table.

-- An operator tenant's keys see every tenant's aggregates on the dashboard (sluice admin tenants
-- operator). Its own jobs stay its own like any tenant's.
ALTER TABLE tenants ADD COLUMN operator boolean NOT NULL DEFAULT false;

-- Jobs waiting or running now, per tenant and status: only unfinished rows are in it.
CREATE INDEX jobs_active ON jobs (tenant_id, status) WHERE status IN ('queued', 'running');

-- Every tenant's jobs submitted in the last hour (one tenant's use jobs_tenant_created_id).
CREATE INDEX jobs_created_at ON jobs (created_at);

-- Jobs finished in the last hour, by minute and status (tenant and status in the index).
CREATE INDEX jobs_finished_at ON jobs (finished_at) INCLUDE (tenant_id, status)
    WHERE finished_at IS NOT NULL;

-- The newest failures, of every tenant and of one: only failed and expired rows are in them, so
-- they cost nothing at intake and a tenant without failures finds none at once.
CREATE INDEX jobs_failed ON jobs (finished_at) WHERE status IN ('failed', 'expired');
CREATE INDEX jobs_tenant_failed ON jobs (tenant_id, finished_at) WHERE status IN ('failed', 'expired');

-- Every tenant's newest batches (one tenant's use batches_tenant_created_id).
CREATE INDEX batches_created_at ON batches (created_at);
