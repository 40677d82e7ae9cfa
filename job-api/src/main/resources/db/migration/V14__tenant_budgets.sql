-- Tenant token budgets (issue 16): a limit per UTC day and per UTC month, NULL for none. A tenant
-- without a row has no budget.
CREATE TABLE tenant_token_budgets (
    tenant_id      text        PRIMARY KEY REFERENCES tenants (id),
    daily_tokens   bigint      CHECK (daily_tokens > 0),
    monthly_tokens bigint      CHECK (monthly_tokens > 0),
    updated_at     timestamptz NOT NULL
);

-- What a budgeted tenant used and holds reserved per period: period 'day' starts on its UTC date,
-- 'month' on the first of its UTC month. A submission reserves its estimate with one conditional
-- UPDATE per period (used + reserved + estimate <= limit), which takes the row lock, so concurrent
-- submissions on any number of API instances never reserve past the limit.
CREATE TABLE tenant_token_usage (
    tenant_id       text   NOT NULL REFERENCES tenants (id),
    period          text   NOT NULL CHECK (period IN ('day', 'month')),
    starts          date   NOT NULL,
    used_tokens     bigint NOT NULL DEFAULT 0,
    reserved_tokens bigint NOT NULL DEFAULT 0 CHECK (reserved_tokens >= 0),
    PRIMARY KEY (tenant_id, period, starts)
);

-- Each budgeted job's reservation, until the job ends and its actual tokens replace it (then
-- reconciled_at is set; later cost changes of the job add their tokens to the same periods). The
-- day is the UTC day the job was submitted: its reservation and its actual count in that day and
-- that day's month.
CREATE TABLE budget_reservations (
    job_id        text        PRIMARY KEY,
    tenant_id     text        NOT NULL REFERENCES tenants (id),
    day           date        NOT NULL,
    tokens        bigint      NOT NULL CHECK (tokens >= 0),
    reconciled_at timestamptz
);
