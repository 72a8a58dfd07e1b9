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
from procmine.io.sql_text import string as _string

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


def kind_sql(column: str) -> str:
    """0 complete (or missing), 1 start, 2 other transition."""
    word = _folded(column)
    return (
        f"(CASE WHEN {word} IS NULL OR {word} IN ({_words(COMPLETE_WORDS)}) THEN 0 "
        f"WHEN {word} IN ({_words(START_WORDS)}) THEN 1 ELSE 2 END)"
    )


MAX_SPELLINGS = 64  # a column of more distinct values is folded row by row (``kind_sql``, ``word_sql``)
_SPELLED_CHARS = 4096  # nor are longer values written out into the staged table's SQL


@dataclass(frozen=True)
class Spellings:
    """Every value a transition column holds (as text; None: missing) with its kind and folded word, so
    that the staged table looks each row's value up instead of folding it (lower(trim(...)) of BPIC 2012's
    262,200 rows, 35 ms of the staged table's 70)."""

    found: tuple[tuple[str | None, int, str], ...]
    lifecycle: bool  # one of them is a start or complete word (``is_lifecycle``)

    def kind_sql(self, column: str) -> str:
        return self._looked_up(column, {value: str(kind) for value, kind, _ in self.found}, "0")

    def word_sql(self, column: str) -> str:
        return self._looked_up(column, {value: _string(word) for value, _, word in self.found}, "'complete'")

    @staticmethod
    def _looked_up(column: str, sql_of: dict[str | None, str], missing: str) -> str:
        """Each value's SQL by a CASE on the value itself; ELSE: a missing one (every other is listed)."""
        chosen = sorted(value for value in sql_of if value is not None)
        cases = " ".join(f"WHEN {_string(value)} THEN {sql_of[value]}" for value in chosen)
        return f"(CASE CAST({column} AS VARCHAR) {cases} ELSE {missing} END)" if cases else missing


def spellings(con: Any, relation: str, column: str) -> Spellings | None:
    """The values of the transition column, each with its kind and word as ``kind_sql`` and ``word_sql``
    give them (the same SQL, run once per distinct value); None when there are more than
    ``MAX_SPELLINGS``, or values too long or holding a NUL to be written into SQL text."""
    value = "v"
    counted = f"{_folded(value)} IN ({_words(START_WORDS | COMPLETE_WORDS)})"
    rows = con.execute(
        f"SELECT {value}, {kind_sql(value)}, {word_sql(value)}, coalesce({counted}, false) FROM "
        f"(SELECT DISTINCT CAST({column} AS VARCHAR) AS {value} FROM {relation}) LIMIT {MAX_SPELLINGS + 1}"
    ).fetchall()
    texts = [str(v) for v, *_ in rows if v is not None]
    if len(rows) > MAX_SPELLINGS or sum(map(len, texts)) > _SPELLED_CHARS or any("\0" in t for t in texts):
        return None
    found = tuple((v, int(kind), str(word)) for v, kind, word, _ in rows)
    return Spellings(found, any(bool(is_one) for *_, is_one in rows))


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
    """The events ``out`` (a view) of the lifecycle rows ``kept``, on either engine: the number of
    start/complete pairs and the other transitions set aside; starts that found no completion go into
    ``dropped``. Once ``out`` is written into a table, ``release`` drops what it reads.

    With a start-time column (``start_column``) only completions are events, start rows unpaired."""
    counts = con.execute(f"SELECT {KIND}, {WORD}, count(*) FROM {kept} GROUP BY 1, 2").fetchall()
    starts = sum(int(n) for kind, _, n in counts if kind == 1)
    completes = sum(int(n) for kind, _, n in counts if kind == 0)
    others = sorted((-int(n), str(word)) for kind, word, n in counts if kind == 2)
    set_aside = {word: -n for n, word in others}  # most frequent first (code-point order: as the SQL's)
    if start_column:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {out} AS SELECT * FROM {kept} WHERE {KIND} = 0")
        dropped["unpaired_lifecycle"] = starts
        return 0, set_aside
    paired = pair(con, kept, out, starts=starts, completes=completes)
    dropped["unpaired_lifecycle"] = paired.unpaired
    if paired.pairs and paired.completes_without_start:
        notes.append(
            f"{paired.completes_without_start:,} completions have no start event (kept without a start time)"
        )
    return paired.pairs, set_aside


PAIRS = "_lifecycle_pairs"  # completion row -> the time of the start it took

# FIFO in one window pass, a second over the completions, and one join. In each case+activity group, in
# pair order (time; a start before a completion at the same instant; source row), let S be the running count
# of starts minus completions. A completion finds no open start exactly when S reaches a new low below zero,
# so with ``low`` = least(0, the lowest S before it), the completions matched so far number
# ``completions so far + low``, and the k-th matched completion takes the k-th start. The lowest S is
# reached at completions, so the second pass needs only those. Activities never started anywhere in the log
# have nothing to pair and stay out of both passes.
_PAIRS_SQL = """
WITH counted AS (
    SELECT "row", case_id, activity, timestamp, {kind} AS kind,
           count(CASE WHEN {kind} = 1 THEN 1 END) OVER w AS starts,
           count(CASE WHEN {kind} = 0 THEN 1 END) OVER w AS completions
    FROM {kept}
    WHERE {kind} < 2 AND activity IN (SELECT activity FROM {kept} WHERE {kind} = 1)
    WINDOW w AS (PARTITION BY case_id, activity ORDER BY timestamp, {kind} DESC, "row"
                 ROWS UNBOUNDED PRECEDING)
), completed AS (
    SELECT "row", case_id, activity, starts - completions AS open, completions,
           least(0, coalesce(min(starts - completions) OVER (
               PARTITION BY case_id, activity ORDER BY timestamp, "row"
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)) AS low
    FROM counted WHERE kind = 0
)
SELECT c."row", s.timestamp AS started
FROM completed c JOIN counted s
  ON s.case_id = c.case_id AND s.activity = c.activity AND s.starts = c.completions + c.low
WHERE s.kind = 1 AND c.open >= c.low
"""


def pair(con: Any, kept: str, out: str, *, starts: int, completes: int) -> Paired:
    """Pair the rows of ``kept`` (case_id, activity, timestamp, row, KIND, ...; ``starts`` start rows and
    ``completes`` completions) into the view ``out``: its completions, each with ``start_timestamp`` set
    when it found a start (FIFO per case and activity: see ``_PAIRS_SQL``)."""
    columns = [d[0] for d in con.execute(f"SELECT * FROM {kept} LIMIT 0").description]
    chosen = [_q(c) for c in columns if not c.startswith("__")]  # (listed: Spark has no * EXCLUDE)
    if not starts:  # nothing to pair: the completions are the events, without start times
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {out} AS SELECT {', '.join(chosen)} FROM {kept} WHERE {KIND} = 0"
        )
        return Paired(0, 0, completes)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {PAIRS} AS {_PAIRS_SQL.format(kind=KIND, kept=kept)}")
    pairs = int(con.execute(f"SELECT count(*) FROM {PAIRS}").fetchall()[0][0])
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW {out} AS
            SELECT {", ".join("k." + c for c in chosen)}, p.started AS start_timestamp
            FROM {kept} k LEFT JOIN {PAIRS} p ON k."row" = p."row" WHERE k.{KIND} = 0"""
    )
    return Paired(pairs, starts - pairs, completes - pairs)


def release(con: Any) -> None:
    """Drop the pairs the events view reads, once the events are written into a table."""
    con.execute(f"DROP TABLE IF EXISTS {PAIRS}")
