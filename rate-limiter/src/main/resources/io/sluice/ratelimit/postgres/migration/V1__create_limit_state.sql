-- The shared state of each rate-limit key: one small JSON document per provider account and model
-- (bucket tats, pause, throttle, live instances), changed by short SELECT ... FOR UPDATE / UPDATE
-- transactions. fillfactor leaves room for HOT updates of this hot, tiny table.
CREATE TABLE limit_state (
    limit_key  text        PRIMARY KEY,
    state      jsonb       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 50);
