"""SQL aggregates over the events (DuckDB): directly-follows graph, variants, durations, waits."""
