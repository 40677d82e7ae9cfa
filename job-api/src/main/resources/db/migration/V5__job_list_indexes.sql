-- GET /v1/jobs lists a tenant's jobs newest first, ordered by (created_at, id) with a keyset cursor
-- on the same pair: every filter below reads one of these indexes in that order and stops after
-- limit + 1 rows, so a page costs the same for a tenant with ten jobs and one with ten million.

-- The unfiltered list, the created-at range, and priority (three values: read through this one).
DROP INDEX jobs_tenant_created;
CREATE INDEX jobs_tenant_created_id ON jobs (tenant_id, created_at DESC, id DESC);

CREATE INDEX jobs_tenant_status_created_id ON jobs (tenant_id, status, created_at DESC, id DESC);
CREATE INDEX jobs_tenant_model_created_id ON jobs (tenant_id, model, created_at DESC, id DESC);

-- metadata is JSON text (V2), which may hold the six characters \u0000 that jsonb refuses: such a
-- row's metadata is not indexed (NULL) and cannot be found by a metadata filter, instead of
-- making the job impossible to store.
CREATE FUNCTION job_metadata_jsonb(metadata text) RETURNS jsonb
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT CASE WHEN strpos(metadata, '\u0000') = 0 THEN metadata::jsonb END $$;

CREATE INDEX jobs_metadata ON jobs USING gin (job_metadata_jsonb(metadata) jsonb_path_ops);
