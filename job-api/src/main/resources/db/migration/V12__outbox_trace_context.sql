-- The W3C trace context of the request that wrote an outbox record (its traceparent and tracestate
-- header values), published as the record's Kafka headers. NULL when tracing is off.
ALTER TABLE outbox ADD COLUMN traceparent text, ADD COLUMN tracestate text;
