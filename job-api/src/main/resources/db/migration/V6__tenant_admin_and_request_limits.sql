-- Operators disable tenants, limit their requests and issue keys that expire (sluice admin).

-- A disabled tenant's keys are refused; its jobs stay.
ALTER TABLE tenants ADD COLUMN disabled_at timestamptz;

-- The tenant's own request limit (token bucket per API instance); both NULL: job-api's default.
ALTER TABLE tenants ADD COLUMN requests_per_second double precision;
ALTER TABLE tenants ADD COLUMN request_burst integer;
ALTER TABLE tenants ADD CONSTRAINT tenants_request_limit CHECK (
    (requests_per_second IS NULL AND request_burst IS NULL)
    OR (requests_per_second > 0 AND request_burst >= 1));

-- A key with expires_at stops working at that time; NULL: never.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
