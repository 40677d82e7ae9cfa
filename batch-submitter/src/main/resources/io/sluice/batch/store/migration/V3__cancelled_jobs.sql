-- Jobs cancelled on sluice.jobs.control: a deferred task that arrives after its job's cancel (the
-- two travel on different topics) is stored cancelled at once. Rows are forgotten after a week.
CREATE TABLE cancelled_job (
    job_id        TEXT         PRIMARY KEY,
    cancelled_at  TIMESTAMPTZ  NOT NULL
);

CREATE INDEX cancelled_job_at ON cancelled_job (cancelled_at);
