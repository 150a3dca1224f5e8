"""Knowledge that others can use: one search across the notes of every meeting.

One rule wherever it is asked (the history screen, `kring network search`):
a note is found when every word of the query begins one of its words, case
and diacritics ignored ("vrijwillig" finds "Vrijwilligers", "coordinatie"
finds "coördinatie"). Confidential and deleted notes are never found.

The database narrows the candidates, each the way it can: on SQLite the FTS5
table `note_fts` (migration 0002, diacritics folded by its tokenizer), on
PostgreSQL the GIN index on the folded text (migration 0005, see
`PG_FOLDED_TEXT`), elsewhere a loose LIKE. The rule itself is then checked here
on every candidate, so each store gives the same notes.

`learned_per_question` lists per learning question the insights that bear on
it, each with the honest reason it is listed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from pendulum import DateTime
from sqlalchemy import case, column, table, text
from sqlmodel import col, select

from kring.data.errors import InputError
from kring.data.history import network_filter
from kring.data.models import Meeting, Note
from kring.data.store import Store
from kring.data.i18n import _

KIND_ORDER = ("insight", "decision")  # what others can use most, shown first
MAX_TERMS = 12
# Accented letters as PostgreSQL folds them for its index (migration 0005 has
# the same expression, letter for letter: the query must match the index's).
PG_FOLD_FROM = "àáâãäåèéêëìíîïòóôõöùúûüýÿçñÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÝŸÇÑ"
PG_FOLD_TO = "aaaaaaeeeeiiiiooooouuuuyycnaaaaaaeeeeiiiiooooouuuuyycn"
PG_FOLDED_TEXT = f"to_tsvector('simple', translate(note.text, '{PG_FOLD_FROM}', '{PG_FOLD_TO}'))"


@dataclass(slots=True)
class NoteHit:
    note_id: int
    meeting_id: int
    meeting_title: str
    date: DateTime | None  # the meeting's: when it started, else when it was made
    network_id: int | None
    kind: str
    text: str
    step_title: str
    speaker: str | None
    at: DateTime | None


def fold(value: str) -> str:
    """Lower case without diacritics: 'coordinatie' finds 'Coördinatie'."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms_of(query: str) -> list[str]:
    """The words of a query, folded; no operator of any search engine survives."""
    return list(dict.fromkeys(re.findall(r"[^\W_]+", fold(query))))[:MAX_TERMS]


def require_terms(query: str) -> list[str]:
    """The words of a query a person typed on the command line: none is bad input."""
    terms = terms_of(query)
    if not terms:
        raise InputError(_("the search has no words to look for"))
    return terms


def matches(body: str, terms: list[str]) -> bool:
    """The rule: every (folded) term begins a word of the folded `body`."""
    folded = fold(body)
    return all(re.search(r"(?<![^\W_])" + re.escape(t), folded) for t in terms)


def has_fts5(store: Store) -> bool:
    if not store.is_sqlite:
        return False
    with store.session() as s:
        return s.exec(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'note_fts'")
        ).first() is not None


def method(store: Store) -> str:
    """How this store narrows a search: "fts5" (SQLite with FTS5), "postgresql", or "like"."""
    dialect = store.engine.dialect.name
    if dialect == "sqlite" and has_fts5(store):
        return "fts5"
    if dialect == "postgresql":
        return "postgresql"
    return "like"


def _like(term: str) -> str:
    """A LIKE pattern that finds every text the folded `term` may stand for: a
    letter that may carry a diacritic (or any non-ASCII one) matches any single
    character, so 'coordinatie' also narrows to 'Coördinatie'."""
    loose = "".join("_" if c in "aeiouycn" or not c.isascii() else c for c in term)
    return "%" + re.sub(r"([\\%])", r"\\\1", loose) + "%"


Order = Literal["newest", "useful"]


def search_notes(store: Store, query: str, network: int | None = None, *, limit: int = 200,
                 kinds: tuple[str, ...] | None = None, order: Order = "newest") -> list[NoteHit]:
    """Notes that hold every word of `query` (the rule above), at most `limit`.

    `network`: one network's meetings (WITHOUT_NETWORK: those of none), else
    every meeting; `kinds`: only notes of these kinds. `order` "newest": the
    newest meeting first, its notes in the order they were made (the history);
    "useful": insights and decisions first, then the best match (`kring
    network search`). A query without words finds nothing."""
    terms = terms_of(query)
    if not terms:
        return []
    q = (
        select(Note.id, Note.meeting_id, Meeting.title, Meeting.started_at, Meeting.created_at, Meeting.network_id,
               Note.kind, Note.text, Note.step_title, Note.speaker, Note.at)
        .join(Meeting, Meeting.id == Note.meeting_id)
        .where(Note.deleted == False, Note.confidential == False)  # noqa: E712
    )
    q = network_filter(q, network)
    if kinds:
        q = q.where(col(Note.kind).in_(kinds))
    useful = order == "useful"
    kind_rank = case(*((Note.kind == k, i) for i, k in enumerate(KIND_ORDER)), else_=len(KIND_ORDER))
    params: dict[str, Any] = {}
    how = method(store)
    if how == "fts5":
        params["fts_query"] = " ".join('"' + t + '"*' for t in terms)
        if useful:  # joined, so bm25 can rank the matches
            fts = table("note_fts", column("rowid"))
            q = (q.join(fts, fts.c.rowid == Note.id).where(text("note_fts MATCH :fts_query"))
                 .order_by(kind_rank, text("bm25(note_fts)"), col(Note.id).desc()))
        else:
            q = q.where(text("note.id IN (SELECT rowid FROM note_fts WHERE note_fts MATCH :fts_query)"))
    elif how == "postgresql":
        params["ts_query"] = " & ".join(t + ":*" for t in terms)
        q = q.where(text(f"{PG_FOLDED_TEXT} @@ to_tsquery('simple', :ts_query)"))
        if useful:
            rank = f"ts_rank({PG_FOLDED_TEXT}, to_tsquery('simple', :ts_query)) DESC"
            q = q.order_by(kind_rank, text(rank), col(Note.id).desc())
    else:
        for term in terms:
            q = q.where(col(Note.text).ilike(_like(term), escape="\\"))
        if useful:
            q = q.order_by(kind_rank, col(Note.at).desc(), col(Note.id).desc())
    if not useful:
        q = q.order_by(col(Meeting.id).desc(), col(Note.at), col(Note.id))
    hits: list[NoteHit] = []
    with store.session() as s:
        for row in s.exec(q.execution_options(yield_per=500), params=params):
            nid, mid, title, started, created, net, kind, body, step, speaker, at = row
            if matches(body or "", terms):
                hits.append(NoteHit(nid, mid, title, started or created, net, kind, body or "", step or "", speaker, at))
                if len(hits) >= limit:
                    break
    return hits


def in_shown_language(store: Store, hits: list[NoteHit]) -> list[NoteHit]:
    """`hits` with each step named in the interface's language where its work format has
    both: a note keeps the title it was taken under, English for a note-taker with --lang en."""
    from kring.data.core.events import EventKind
    from kring.data.core.language import titles_shown
    from kring.data.core.nesting import nested_in
    from kring.data.models import Event

    ids = {h.meeting_id for h in hits if h.step_title}
    if not ids:
        return hits
    steps: dict[int, list[Any]] = {}
    with store.session() as s:
        for mid, data in s.exec(select(Meeting.id, Meeting.format_data).where(col(Meeting.id).in_(ids))):
            steps[mid] = [st for st in (data or {}).get("steps") or [] if isinstance(st, dict)]
        starts = s.exec(select(Event.meeting_id, Event.kind, Event.data).where(
            col(Event.meeting_id).in_(ids), Event.kind == EventKind.SUBAGENDA).order_by(col(Event.id))).all()
    for mid, top in list(steps.items()):
        events = [{"kind": kind, "data": data} for m, kind, data in starts if m == mid]
        steps[mid] = top + [st for n in nested_in(events, len(top)) for st in n.steps]
    shown = {mid: titles_shown(top) for mid, top in steps.items()}
    for h in hits:
        h.step_title = shown.get(h.meeting_id, {}).get(h.step_title, h.step_title)
    return hits


def snippet(text: str, terms: list[str], width: int = 60) -> str:
    """One line of `text` around the first matching term, at most `width` long."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    low = fold(flat) if len(fold(flat)) == len(flat) else flat.casefold()
    found = [low.find(t) for t in terms if low.find(t) >= 0]
    at = min(found) if found else 0
    start = max(0, min(at - width // 3, len(flat) - width + 1))
    piece = flat[start:start + width - 1]
    if start > 0:
        piece = "…" + piece[1:]
    return piece + ("…" if start + width - 1 < len(flat) else "")


# --- what was learned on each learning question ------------------------------------------

_STOP = set(
    """
    aan alle alles altijd andere anders beter binnen daarbij daarom dingen doordat elkaar eigen eigenlijk
    goede graag hebben hierbij hoeveel kunnen leren manier meer mijzelf moeten omdat ondanks onder over
    precies samen steeds tussen vanuit waarbij waarom wanneer welke werken worden zodat zonder zouden
    about after again being could every other their there these things those through where which while
    would should learn better
    """.split()
)


def keywords(question: str) -> list[str]:
    """The telling words of a learning question: five letters or more, no common words."""
    words = [fold(w) for w in re.findall(r"[^\W\d_]+", question)]
    return list(dict.fromkeys(w for w in words if len(w) >= 5 and w not in _STOP))


def _stem(word: str) -> str:
    return word[: max(5, len(word) - 2)]


@dataclass
class LearnedItem:
    hit: NoteHit
    why: str  # "speaker" (noted while the member had the floor) or "word"
    word: str = ""


@dataclass
class QuestionLearned:
    member: str
    question: str
    items: list[LearnedItem] = field(default_factory=list)


def _hit(n: Note, m: Meeting) -> NoteHit:
    return NoteHit(n.id, m.id, m.title, m.started_at or m.created_at, m.network_id, n.kind, n.text, n.step_title,
                   n.speaker, n.at)


def learned_per_question(store: Store, network_id: int, *, per_question: int = 5) -> list[QuestionLearned]:
    """Per learning question: insights noted while its member had the floor, or that share a telling word.

    Kept simple and honest: the reason travels with each item, and nothing
    confidential is ever listed.
    """
    from kring.data.networks import get_network

    info = get_network(store, network_id)
    with store.session() as s:
        rows = s.exec(
            select(Note, Meeting).join(Meeting, Meeting.id == Note.meeting_id)
            .where(Meeting.network_id == network_id, Note.kind == "insight",
                   Note.deleted == False, Note.confidential == False)  # noqa: E712
            .order_by(col(Meeting.id), col(Note.at), col(Note.id))
        ).all()
    insights = [(_hit(n, m), {w for w in re.findall(r"[^\W\d_]+", fold(n.text))}) for n, m in rows]
    out: list[QuestionLearned] = []
    for member in info.members:
        for question in member.questions:
            entry = QuestionLearned(member.name, question)
            stems = [(k, _stem(k)) for k in keywords(question)]
            for hit, words in insights:
                if hit.speaker and hit.speaker.casefold() == member.name.casefold():
                    entry.items.append(LearnedItem(hit, "speaker"))
                    continue
                for keyword, stem in stems:
                    if any(w.startswith(stem) for w in words):
                        entry.items.append(LearnedItem(hit, "word", keyword))
                        break
            entry.items = entry.items[-per_question:]  # the most recent ones
            out.append(entry)
    return out
