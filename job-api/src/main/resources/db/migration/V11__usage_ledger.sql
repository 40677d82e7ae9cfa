-- The cost ledger: what each tenant's jobs cost, per UTC day, provider and model. Every change of a
-- job's cost (its first result, a late cost of a duplicate call, a map-reduce job's running cost) is
-- added here in the transaction that stores it, so the ledger always equals the sum of the jobs'
-- costs. A group's amounts are spread over a few shards (by job ID) so that the projection's
-- concurrent transactions do not queue on one hot row; readers sum the shards.
CREATE TABLE usage_daily (
    tenant_id         text           NOT NULL REFERENCES tenants (id),
    day               date           NOT NULL,
    provider          text           NOT NULL,
    model             text           NOT NULL,
    shard             smallint       NOT NULL,
    jobs              bigint         NOT NULL DEFAULT 0,
    input_tokens      bigint         NOT NULL DEFAULT 0,
    output_tokens     bigint         NOT NULL DEFAULT 0,
    cost_usd          numeric(24, 10) NOT NULL DEFAULT 0,
    realtime_cost_usd numeric(24, 10) NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day, provider, model, shard)
);

-- Jobs that ended before the ledger existed, booked on the day they ended.
INSERT INTO usage_daily
    (tenant_id, day, provider, model, shard, jobs, input_tokens, output_tokens, cost_usd,
     realtime_cost_usd)
SELECT tenant_id,
       (coalesce(finished_at, updated_at) AT TIME ZONE 'UTC')::date,
       coalesce(provider, 'unknown'),
       coalesce(provider_model, 'unknown'),
       0,
       count(*) FILTER (WHERE status IN ('succeeded', 'failed', 'cancelled', 'expired')),
       coalesce(sum(input_tokens), 0),
       coalesce(sum(output_tokens), 0),
       coalesce(sum(cost_usd), 0),
       coalesce(sum(coalesce(realtime_cost_usd, cost_usd)), 0)
FROM jobs
WHERE cost_usd IS NOT NULL OR status IN ('succeeded', 'failed', 'cancelled', 'expired')
GROUP BY 1, 2, 3, 4;
