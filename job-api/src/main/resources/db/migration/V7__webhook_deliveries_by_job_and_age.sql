-- A job's deliveries whatever their destination (GET /v1/jobs/{id}/webhook-deliveries: a one-off
-- webhook has no endpoint to list them under), and the purge of finished deliveries past their
-- retention (webhooks.retention), which must not scan the whole table every hour.
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (tenant_id, job_id);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (updated_at)
    WHERE status IN ('succeeded', 'dead');
