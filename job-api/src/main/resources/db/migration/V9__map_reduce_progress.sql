-- A map-reduce job's progress (phase, chunks done / total, reduce level, calls, skipped chunks), as
-- JSON text like the job's other data; NULL for completion jobs. Its calls and plan are kept in the
-- request column; the document itself is not kept (its chunks travel in the outbox).
ALTER TABLE jobs ADD COLUMN progress text;
