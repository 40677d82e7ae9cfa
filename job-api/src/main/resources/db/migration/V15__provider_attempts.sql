-- Fallback chains (issue 16): the chain entries a job with a fallback chain tried, in order (provider,
-- model, outcome, calls, usage, cost, error), as JSON text like the job's other data. NULL for jobs
-- without a fallback chain. provider / provider_model keep naming the entry the job ended on (the one
-- that answered, for a succeeded job).
ALTER TABLE jobs ADD COLUMN provider_attempts text;
