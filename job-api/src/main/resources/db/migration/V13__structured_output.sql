-- Structured output (issue 16): the output of a job with a response schema, parsed as JSON, as JSON
-- text like the job's other data (output_json keeps the output text itself as a JSON string
-- literal), and the repair calls it took. NULL for jobs without a response schema.
ALTER TABLE jobs ADD COLUMN output_parsed text, ADD COLUMN repairs integer;
