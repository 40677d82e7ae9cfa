-- The deferred lane: where the job's task is (pending, in provider batch X, resubmitted, fallen back
-- to realtime) and what work billed at the batch price would have cost at the realtime price.
-- The placement is JSON text like the other job data (V2): the provider's batch ID is the
-- provider's text, and JSON text stores any string, NUL included, exactly.
ALTER TABLE jobs ADD COLUMN placement         text;
ALTER TABLE jobs ADD COLUMN realtime_cost_usd numeric(20, 10);
