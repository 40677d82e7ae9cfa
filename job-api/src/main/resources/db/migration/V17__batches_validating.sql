-- Batches are taken in behind POST /v1/batches's answer: the intake loop of every job-api
-- instance looks for the oldest batch still validating.
CREATE INDEX batches_validating ON batches (created_at) WHERE status = 'validating';
