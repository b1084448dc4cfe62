-- The evaluators an executor node declares at registration (a JSON array of names); NULL for nodes that do not
-- declare them (they are assumed to have the server's own evaluators).
ALTER TABLE executor ADD COLUMN evaluators jsonb;
