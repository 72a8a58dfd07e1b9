"""Merge lifecycle ``start``/``complete`` events into one activity instance with a start and an end time.

Pairing is FIFO in time per case and activity: each completion takes the earliest still-open start of
the same activity in the same case at or before it. What cannot be paired is accounted for:

- a completion without a start stays an event (instantaneous: no start time);
- a start that never completes is dropped as ``unpaired_lifecycle``;
- any other transition (schedule, assign, suspend, resume, withdraw, ate_abort, ...) is not the execution
  of an activity: it is kept out of the pairing and *set aside*, counted per transition (``other``), not
  dropped (BPIC 2012 schedules most work items before they start: that is not a defect of the log).

A missing (or blank) transition value counts as ``complete`` (the XES default when the attribute is absent).
When the column holds no start and no complete value at all it is not a lifecycle column; the reader
then ignores it (and says so in the notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from procmine.io.sql_text import identifier as _q

START_WORDS = frozenset({"start", "started", "begin"})
COMPLETE_WORDS = frozenset({"complete", "completed", "end", "finish", "finished", "done"})
KIND = "__lifecycle_kind"  # 0 complete, 1 start, 2 other
WORD = "__lifecycle_word"  # the transition as written, folded (for counting the other transitions)


@dataclass
class Paired:
    pairs: int  # starts merged into their completion
    unpaired: int  # starts never completed: dropped
    completes_without_start: int


def _words(words: frozenset[str]) -> str:
    return ", ".join(f"'{w}'" for w in sorted(words))


def _folded(column: str) -> str:
    """The transition trimmed and in lower case; NULL when missing or blank."""
    return f"nullif(lower(trim(CAST({column} AS VARCHAR), ' \t\r\n')), '')"


def word_sql(column: str) -> str:
    """The transition folded to lower case (a missing or blank one reads ``complete``)."""
    return f"coalesce({_folded(column)}, 'complete')"


def other_transitions(con: Any, kept: str) -> dict[str, int]:
    """Transition -> rows of ``kept`` with a transition other than start and complete (set aside)."""
    rows = con.execute(
        f"SELECT {WORD}, count(*) FROM {kept} WHERE {KIND} = 2 GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall()
    return {str(word): int(n) for word, n in rows}


def kind_sql(column: str) -> str:
    """0 complete (or missing), 1 start, 2 other transition."""
    word = _folded(column)
    return (
        f"(CASE WHEN {word} IS NULL OR {word} IN ({_words(COMPLETE_WORDS)}) THEN 0 "
        f"WHEN {word} IN ({_words(START_WORDS)}) THEN 1 ELSE 2 END)"
    )


def is_lifecycle(con: Any, relation: str, column: str) -> bool:
    """Does the column name lifecycle transitions at all (one start or complete value)?"""
    word = f"lower(trim(CAST({column} AS VARCHAR), ' \t\r\n'))"
    return bool(
        con.execute(
            f"SELECT count(*) > 0 FROM (SELECT 1 FROM {relation} "
            f"WHERE {word} IN ({_words(START_WORDS | COMPLETE_WORDS)}) LIMIT 1)"
        ).fetchall()[0][0]
    )


def events(
    con: Any, kept: str, out: str, *, start_column: bool, dropped: dict[str, int], notes: list[str]
) -> tuple[int, dict[str, int]]:
    """The events ``out`` of the lifecycle rows ``kept``, on either engine: the number of start/complete
    pairs and the other transitions set aside; starts that found no completion go into ``dropped``.

    With a start-time column (``start_column``) only completions are events, start rows unpaired."""
    set_aside = other_transitions(con, kept)
    if start_column:
        starts = con.execute(f"SELECT count(*) FILTER (WHERE {KIND} = 1) FROM {kept}").fetchall()[0][0]
        con.execute(f"CREATE OR REPLACE TEMP VIEW {out} AS SELECT * FROM {kept} WHERE {KIND} = 0")
        dropped["unpaired_lifecycle"] = int(starts)
        return 0, set_aside
    paired = pair(con, kept, out)
    dropped["unpaired_lifecycle"] = paired.unpaired
    if paired.pairs and paired.completes_without_start:
        notes.append(
            f"{paired.completes_without_start:,} completions have no start event (kept without a start time)"
        )
    return paired.pairs, set_aside


def pair(con: Any, kept: str, out: str) -> Paired:
    """Pair the rows of ``kept`` (case_id, activity, timestamp, row, KIND, ...) into the table ``out``:
    its completions, each with ``start_timestamp`` set when it found a start.

    FIFO in SQL: in each case+activity group, in time order (a start before a completion at the same
    instant), let S be the running count of starts minus completions. A completion finds no open start
    exactly when S reaches a new low below zero; every other completion takes the oldest open start, so
    the k-th matched completion of a group pairs with the k-th start of that group.
    """
    starts = con.execute(f"SELECT count(*) FILTER (WHERE {KIND} = 1) FROM {kept}").fetchall()[0][0]
    columns = [d[0] for d in con.execute(f"SELECT * FROM {kept} LIMIT 0").description if d[0] != KIND]
    if not starts:  # nothing to pair: the completions are the events, without start times
        chosen = ", ".join(_q(c) for c in columns)  # (listed: Spark SQL has no SELECT * EXCLUDE)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT {chosen} FROM {kept} WHERE {KIND} = 0")
        completes = con.execute(f"SELECT count(*) FROM {out}").fetchall()[0][0]
        return Paired(0, 0, int(completes))
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE _lc_ordered AS
        SELECT "row", case_id, activity, timestamp, {KIND} = 1 AS is_start,
               sum(CASE WHEN {KIND} = 1 THEN 1 ELSE -1 END) OVER w AS running
        FROM {kept} WHERE {KIND} < 2
        WINDOW w AS (PARTITION BY case_id, activity ORDER BY timestamp, {KIND} DESC, "row"
                     ROWS UNBOUNDED PRECEDING)
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _lc_pairs AS
        WITH lows AS (
            SELECT *, least(min(running) OVER w, 0) AS low FROM _lc_ordered
            WINDOW w AS (PARTITION BY case_id, activity ORDER BY timestamp, is_start DESC, "row"
                         ROWS UNBOUNDED PRECEDING)
        ), marked AS (
            SELECT *, coalesce(lag(low) OVER (PARTITION BY case_id, activity
                                              ORDER BY timestamp, is_start DESC, "row"), 0) AS previous_low
            FROM lows
        ), s AS (
            SELECT case_id, activity, timestamp AS started,
                   row_number() OVER (PARTITION BY case_id, activity ORDER BY timestamp, "row") AS k
            FROM marked WHERE is_start
        ), e AS (
            SELECT "row", case_id, activity,
                   row_number() OVER (PARTITION BY case_id, activity ORDER BY timestamp, "row") AS k
            FROM marked WHERE NOT is_start AND low >= previous_low
        )
        SELECT e."row", s.started FROM e JOIN s USING (case_id, activity, k)
        """
    )
    pairs = con.execute("SELECT count(*) FROM _lc_pairs").fetchall()[0][0]
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        SELECT {", ".join("k." + _q(c) for c in columns)}, p.started AS start_timestamp
        FROM {kept} k LEFT JOIN _lc_pairs p USING ("row") WHERE k.{KIND} = 0
        """
    )
    completes = con.execute(f"SELECT count(*) FROM {out}").fetchall()[0][0]
    con.execute("DROP TABLE _lc_ordered; DROP TABLE _lc_pairs")
    return Paired(int(pairs), int(starts - pairs), int(completes - pairs))
