"""Knowledge that others can use: search across all of a network's meetings.

Full-text search over notes, insights and decisions first. Confidential and
deleted notes are never found. On SQLite it uses the FTS5 table `note_fts`
(migration 0002), on PostgreSQL the GIN index on to_tsvector('simple', text);
where neither is there it falls back to LIKE, slower but the same answers for
plain words. Every word of the query must occur; a word also finds longer
words it begins ("vrijwillig" finds "vrijwilligers").

`learned_per_question` lists per learning question the insights that bear on
it, each with the honest reason it is listed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pendulum import DateTime
from sqlalchemy import case, column, table, text
from sqlmodel import col, select

from kring.data.errors import InputError
from kring.data.models import Meeting, Note
from kring.data.store import Store

KIND_ORDER = ("insight", "decision")  # what others can use most, shown first
MAX_TERMS = 12


@dataclass
class SearchHit:
    note_id: int
    meeting_id: int
    meeting_title: str
    meeting_at: DateTime | None
    kind: str
    text: str
    step_title: str
    speaker: str | None
    at: DateTime | None


def terms(query: str) -> list[str]:
    """The words of a query, lower case; no operator of any search engine survives."""
    words = re.findall(r"[^\W_]+", query.casefold())
    out = list(dict.fromkeys(words))[:MAX_TERMS]
    if not out:
        raise InputError("the search has no words to look for")
    return out


def fold(value: str) -> str:
    """Lower case without diacritics, for comparing words the way FTS5 does."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def has_fts5(store: Store) -> bool:
    if not store.is_sqlite:
        return False
    with store.session() as s:
        return s.exec(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'note_fts'")
        ).first() is not None


def method(store: Store) -> str:
    """How this store searches: "fts5" (SQLite with FTS5), "postgresql", or "like"."""
    dialect = store.engine.dialect.name
    if dialect == "sqlite" and has_fts5(store):
        return "fts5"
    if dialect == "postgresql":
        return "postgresql"
    return "like"


def _hit(n: Note, m: Meeting) -> SearchHit:
    return SearchHit(n.id, m.id, m.title, m.started_at or m.created_at, n.kind, n.text, n.step_title, n.speaker,
                     n.at)


def search_notes(store: Store, network_id: int, query: str, *, limit: int = 50,
                 kinds: tuple[str, ...] | None = None) -> list[SearchHit]:
    """Notes of all the network's meetings that hold every word of `query`; insights and decisions first."""
    words = terms(query)
    kind_rank = case(*((Note.kind == k, i) for i, k in enumerate(KIND_ORDER)), else_=len(KIND_ORDER))
    q = (
        select(Note, Meeting)
        .join(Meeting, Meeting.id == Note.meeting_id)
        .where(Meeting.network_id == network_id, Note.deleted == False, Note.confidential == False)  # noqa: E712
    )
    if kinds:
        q = q.where(col(Note.kind).in_(kinds))
    params: dict[str, Any] = {}
    how = method(store)
    if how == "fts5":
        fts = table("note_fts", column("rowid"))
        params["fts_query"] = " ".join('"' + fold(w) + '"*' for w in words)
        q = (q.join(fts, fts.c.rowid == Note.id)
             .where(text("note_fts MATCH :fts_query"))
             .order_by(kind_rank, text("bm25(note_fts)"), col(Note.id).desc()))
    elif how == "postgresql":
        params["ts_query"] = " & ".join(w + ":*" for w in words)
        match = "to_tsvector('simple', note.text) @@ to_tsquery('simple', :ts_query)"
        rank = "ts_rank(to_tsvector('simple', note.text), to_tsquery('simple', :ts_query)) DESC"
        q = q.where(text(match)).order_by(kind_rank, text(rank), col(Note.id).desc())
    else:
        for i, w in enumerate(words):
            params[f"like_{i}"] = f"%{w}%"
            q = q.where(text(f"lower(note.text) LIKE :like_{i}"))
        q = q.order_by(kind_rank, col(Note.at).desc(), col(Note.id).desc())
    q = q.limit(limit)
    with store.session() as s:
        rows = s.exec(q, params=params).all()
    return [_hit(n, m) for n, m in rows]


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
    hit: SearchHit
    why: str  # "speaker" (noted while the member had the floor) or "word"
    word: str = ""


@dataclass
class QuestionLearned:
    member: str
    question: str
    items: list[LearnedItem] = field(default_factory=list)


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
