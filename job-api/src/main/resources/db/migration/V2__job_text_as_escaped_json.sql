-- PostgreSQL refuses the NUL character both in jsonb (\u0000) and in text. Text extracted from PDFs
-- carries NULs and providers accept them, so job data is stored as JSON text (where a NUL is the
-- six characters \u0000): exact round trip for any string, and no statement can fail on content.
ALTER TABLE jobs ALTER COLUMN request  TYPE text USING request::text;
ALTER TABLE jobs ALTER COLUMN metadata TYPE text USING metadata::text;
ALTER TABLE jobs ALTER COLUMN error    TYPE text USING error::text;

-- The output becomes a JSON string literal ("..." with escapes) in output_json.
ALTER TABLE jobs ADD COLUMN output_json text;
UPDATE jobs SET output_json = to_jsonb(output)::text WHERE output IS NOT NULL;
ALTER TABLE jobs DROP COLUMN output;
