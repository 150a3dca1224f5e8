"""Learning networks: the network, its members and their learning questions.

A network (leernetwerk) meets in a series. Its meetings follow on from each
other: the next starts from the open actions (`kring.data.actions`), the
members' learning questions and the ground rules agreed at the kick-off
(`kring.data.ground_rules`), with roles in a fair rotation (`kring.data.roles`);
`kring.data.network_meetings` starts it.

Functions take a Store and return plain data (dataclasses), never live ORM
objects, so they can run in a thread worker and hand results to the UI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from pendulum import DateTime
from sqlalchemy import func
from sqlmodel import col, select

from kring.data.core.clock import Clock
from kring.data.errors import InputError
from kring.data.models import LearningQuestion, Meeting, Member, Network
from kring.data.store import Store
from kring.data.core.textgate import NAME_CHARS, check_line, clean_line, shown, shown_tree
from kring.data.i18n import _

# Seed 004: a regional learning network is best kept to about twelve people.
ADVISED_MAX_MEMBERS = 12

DEFAULT_ROLES = ("moderator", "notulist", "tijdbewaker")

# Stored values are English keys; people may type the Dutch words.
FORMS = {
    "structure": ("structure", "structuur", "structuurmodel", "structure model"),
    "process": ("process", "proces", "procesmodel", "process model"),
    "activity": ("activity", "activiteit", "activiteiten", "activiteitenmodel", "activity model"),
}
KINDS = {
    "task": ("task", "taak", "taakgericht", "task-based"),
    "practice": ("practice", "praktijk", "praktijkgericht", "practice-based"),
    "knowledge": ("knowledge", "kennis", "kennisgericht", "knowledge-based"),
}

# The step of the kick-off in which ground rules are agreed, and of a regular
# meeting in which last time's actions are looked back on.
GROUND_RULES_STEP = "spelregels"
LOOK_BACK_STEP = "terugblik"

_EMAIL = re.compile(r"^[^@\s,;<>()\[\]]+@[^@\s,;<>()\[\]]+\.[^@\s,;<>()\[\].]{2,}$")


# --- plain data out ---------------------------------------------------------------


@dataclass
class MemberInfo:
    id: int
    name: str
    email: str
    expertise: str
    seat: int
    questions: list[str] = field(default_factory=list)


@dataclass
class NetworkInfo:
    id: int
    name: str
    theme: str
    goal: str
    form: str
    kind: str
    rhythm: str
    ground_rules: list[str]
    roles: list[str]
    members: list[MemberInfo]
    created_at: DateTime | None = None
    evaluation_form: str = "standaard"  # its name (kring.workformats.forms)
    anonymous_evaluation: bool = False

    def member(self, name: str) -> MemberInfo:
        """A member by name, case-insensitive; an InputError names the network otherwise."""
        wanted = clean_text(name).casefold()
        for m in self.members:
            if m.name.casefold() == wanted:
                return m
        known = ", ".join(m.name for m in self.members) or "none yet"
        raise InputError(_("network '{network}' has no member '{name}' (members: {known})").format(
            network=self.name, name=clean_text(name), known=known))


@dataclass
class NetworkSummary:
    id: int
    name: str
    theme: str
    members: int
    meetings: int
    last_meeting: DateTime | None


# --- checking what people type ------------------------------------------------------


def clean_text(text: str | None) -> str:
    return clean_line(text)  # the one gate for text: no escape sequences, NFC


def clean_name(name: str, what: str | None = None, limit: int = NAME_CHARS) -> str:
    what = what or _("name")
    value = clean_line(name)
    if not value:
        raise InputError(_("the {what} is empty").format(what=what))
    return check_line(value, what, limit)


def check_email(email: str | None) -> str:
    value = (email or "").strip()
    if value and (len(value) > 254 or not _EMAIL.match(value)):
        raise InputError(_("'{value}' is not an e-mail address (like name@example.org)").format(value=value))
    return value


def _choice(value: str | None, table: dict[str, tuple[str, ...]], what: str) -> str:
    raw = clean_text(value).casefold()
    if not raw:
        return ""
    for key, words in table.items():
        if raw in words:
            return key
    raise InputError(_("{what} '{value}': choose one of {choices}").format(what=what, value=clean_text(value), choices=', '.join(table)))


def check_form(value: str | None) -> str:
    return _choice(value, FORMS, _("form"))


def check_kind(value: str | None) -> str:
    return _choice(value, KINDS, _("kind"))


def clean_list(items: Iterable[str], what: str) -> list[str]:
    """Non-empty, trimmed and without repeats (case-insensitive), in the given order."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in items:
        text = clean_text(raw)
        if not text:
            continue
        if len(text) > 500:
            raise InputError(_("a {what} is longer than 500 characters: '{text}…'").format(what=what, text=text[:30]))
        if text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


def clean_roles(roles: Iterable[str]) -> list[str]:
    out = []
    for role in clean_list(roles, _("role")):
        if not re.fullmatch(r"[\w-]{1,40}", role):
            raise InputError(_("role '{role}': one word of at most 40 letters, digits or dashes").format(role=role))
        out.append(role.casefold())
    if not out:
        raise InputError(_("a network needs at least one role (for example moderator)"))
    return out


# --- reading -------------------------------------------------------------------------


def network_id_by_name(store: Store, name: str) -> int:
    with store.session() as s:
        found = s.exec(select(Network.id).where(Network.name == clean_text(name))).first()
        if found is None:
            found = s.exec(
                select(Network.id).where(func.lower(Network.name) == clean_text(name).lower())
            ).first()
    if found is None:
        raise InputError(_("unknown network '{name}' (see: kring network list)").format(name=name))
    return int(found)


def _members(s: Any, network_id: int) -> list[MemberInfo]:
    rows = s.exec(
        select(Member).where(Member.network_id == network_id).order_by(col(Member.seat), col(Member.id))
    ).all()
    ids = [m.id for m in rows]
    questions: dict[int, list[str]] = {}
    if ids:
        for q in s.exec(
            select(LearningQuestion).where(col(LearningQuestion.member_id).in_(ids)).order_by(col(LearningQuestion.id))
        ).all():
            questions.setdefault(q.member_id, []).append(shown(q.text))
    return [MemberInfo(m.id, shown(m.name), shown(m.email), shown(m.expertise), m.seat, questions.get(m.id, []))
            for m in rows]


def _info(s: Any, net: Network) -> NetworkInfo:
    # the text gate on the way out: the network screen and `network show` read it here
    return NetworkInfo(
        id=int(net.id), name=shown(net.name), theme=shown(net.theme), goal=shown(net.goal), form=net.form,
        kind=net.kind, rhythm=shown(net.rhythm), ground_rules=shown_tree(list(net.ground_rules or [])),
        roles=list(net.roles or DEFAULT_ROLES), members=_members(s, int(net.id)), created_at=net.created_at,
        evaluation_form=net.evaluation_form or "standaard", anonymous_evaluation=bool(net.anonymous_evaluation),
    )


def get_network(store: Store, name_or_id: str | int) -> NetworkInfo:
    network_id = name_or_id if isinstance(name_or_id, int) else network_id_by_name(store, name_or_id)
    with store.session() as s:
        net = s.get(Network, network_id)
        if net is None:
            raise InputError(_("no network with id {network_id}").format(network_id=network_id))
        return _info(s, net)


def list_networks(store: Store) -> list[NetworkSummary]:
    with store.session() as s:
        members = select(Member.network_id, func.count().label("n")).group_by(Member.network_id).subquery()
        meetings = (
            select(Meeting.network_id, func.count().label("n"), func.max(Meeting.id).label("last"))
            .group_by(Meeting.network_id).subquery()
        )
        rows = s.exec(
            select(Network, members.c.n, meetings.c.n, meetings.c.last)
            .join(members, members.c.network_id == Network.id, isouter=True)
            .join(meetings, meetings.c.network_id == Network.id, isouter=True)
            .order_by(col(Network.name))
        ).all()
        out = []
        for net, n_members, n_meetings, last_id in rows:
            last = s.get(Meeting, last_id) if last_id else None
            out.append(NetworkSummary(int(net.id), net.name, net.theme, n_members or 0, n_meetings or 0,
                                      (last.started_at or last.created_at) if last else None))
        return out


# --- writing ---------------------------------------------------------------------------


def create_network(
    store: Store,
    name: str,
    clock: Clock,
    *,
    theme: str = "",
    goal: str = "",
    form: str = "",
    kind: str = "",
    rhythm: str = "",
    ground_rules: Iterable[str] = (),
    roles: Iterable[str] | None = None,
) -> int:
    name = clean_name(name, _("network name"), 200)
    values = dict(
        theme=clean_text(theme), goal=clean_text(goal), form=check_form(form), kind=check_kind(kind),
        rhythm=clean_text(rhythm), ground_rules=clean_list(ground_rules, _("ground rule")),
        roles=clean_roles(roles) if roles else list(DEFAULT_ROLES),
    )
    with store.writing() as s:
        if s.exec(select(Network.id).where(func.lower(Network.name) == name.lower())).first() is not None:
            raise InputError(_("a network named '{name}' already exists (see: kring network show {name!r})").format(name=name))
        net = Network(name=name, created_at=clock.now(), **values)
        s.add(net)
        s.flush()
        return int(net.id)  # type: ignore[arg-type]


def update_network(
    store: Store,
    network: str | int,
    *,
    name: str | None = None,
    theme: str | None = None,
    goal: str | None = None,
    form: str | None = None,
    kind: str | None = None,
    rhythm: str | None = None,
    ground_rules: Iterable[str] | None = None,
    add_rules: Iterable[str] = (),
    roles: Iterable[str] | None = None,
) -> NetworkInfo:
    """Change what is given; None leaves a field as it is."""
    network_id = network if isinstance(network, int) else network_id_by_name(store, network)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = clean_name(name, _("network name"), 200)
    for key, value in (("theme", theme), ("goal", goal), ("rhythm", rhythm)):
        if value is not None:
            changes[key] = clean_text(value)
    if form is not None:
        changes["form"] = check_form(form)
    if kind is not None:
        changes["kind"] = check_kind(kind)
    if roles is not None:
        changes["roles"] = clean_roles(roles)
    rules = clean_list(ground_rules, _("ground rule")) if ground_rules is not None else None
    extra = clean_list(add_rules, _("ground rule"))
    with store.writing() as s:
        net = s.get(Network, network_id)
        if net is None:
            raise InputError(_("no network with id {network_id}").format(network_id=network_id))
        if "name" in changes and changes["name"].lower() != net.name.lower():
            taken = s.exec(select(Network.id).where(func.lower(Network.name) == changes["name"].lower())).first()
            if taken is not None:
                raise InputError(_("a network named '{name}' already exists").format(name=changes['name']))
        for key, value in changes.items():
            setattr(net, key, value)
        if rules is not None or extra:
            net.ground_rules = clean_list(list(rules if rules is not None else net.ground_rules or []) + extra,
                                          "ground rule")
        s.add(net)
        s.flush()
        return _info(s, net)


def add_member(
    store: Store,
    network: str | int,
    name: str,
    clock: Clock,
    *,
    email: str = "",
    expertise: str = "",
    questions: Iterable[str] = (),
) -> list[str]:
    """Add a member. Returns warnings (e.g. the network grows past about twelve); refuses duplicates."""
    network_id = network if isinstance(network, int) else network_id_by_name(store, network)
    name = clean_name(name, _("member's name"))
    email = check_email(email)
    texts = clean_list(questions, _("learning question"))
    with store.writing() as s:
        net = s.get(Network, network_id)
        if net is None:
            raise InputError(_("no network with id {network_id}").format(network_id=network_id))
        rows = s.exec(select(Member).where(Member.network_id == network_id)).all()
        same = next((m for m in rows if m.name.casefold() == name.casefold()), None)
        if same is not None:
            raise InputError(
                _("network '{network}' already has a member named '{name}' (add a learning question with: "
                  "kring network leervraag {network_word} {name_word} TEXT)").format(
                    network=net.name, name=same.name, network_word=shell_word(net.name), name_word=shell_word(same.name))
            )
        now = clock.now()
        seat = max((m.seat for m in rows), default=-1) + 1
        member = Member(network_id=network_id, name=name, email=email, expertise=clean_text(expertise),
                        seat=seat, created_at=now)
        s.add(member)
        s.flush()
        for text in texts:
            s.add(LearningQuestion(member_id=member.id, text=text, created_at=now))
        count = len(rows) + 1
    warnings = []
    if count > ADVISED_MAX_MEMBERS:
        warnings.append(
            _("network '{network}' now has {count} members; about {advised} is advised so everyone "
              "can share knowledge and experience").format(network=net.name, count=count,
                                                           advised=ADVISED_MAX_MEMBERS)
        )
    return warnings


def shell_word(text: str) -> str:
    """A name as it is typed on the command line: quoted when it has a space."""
    return f'"{text}"' if " " in text else text


def update_member(
    store: Store,
    network: str | int,
    member: str,
    *,
    name: str | None = None,
    email: str | None = None,
    expertise: str | None = None,
    questions: Iterable[str] | None = None,
    clock: Clock | None = None,
) -> MemberInfo:
    """Change a member; `questions` replaces their learning questions (kept ones keep their date)."""
    info = get_network(store, network if isinstance(network, int) else network_id_by_name(store, network))
    current = info.member(member)
    new_name = clean_name(name, _("member's name")) if name is not None else None
    if new_name and new_name.casefold() != current.name.casefold():
        if any(m.name.casefold() == new_name.casefold() for m in info.members):
            raise InputError(_("network '{network}' already has a member named '{name}'").format(network=info.name, name=new_name))
    new_email = check_email(email) if email is not None else None
    texts = clean_list(questions, _("learning question")) if questions is not None else None
    with store.writing() as s:
        row = s.get(Member, current.id)
        if row is None:
            raise InputError(_("member '{member}' was just removed").format(member=member))
        if new_name is not None:
            row.name = new_name
        if new_email is not None:
            row.email = new_email
        if expertise is not None:
            row.expertise = clean_text(expertise)
        s.add(row)
        if texts is not None:
            have = s.exec(select(LearningQuestion).where(LearningQuestion.member_id == row.id)).all()
            keep = {t.casefold() for t in texts}
            for q in have:
                if q.text.casefold() not in keep:
                    s.delete(q)
            known = {q.text.casefold() for q in have}
            for text in texts:
                if text.casefold() not in known:
                    s.add(LearningQuestion(member_id=row.id, text=text, created_at=clock.now() if clock else None))
    return get_network(store, info.id).member(new_name or current.name)


def add_learning_question(store: Store, network: str | int, member: str, text: str, clock: Clock) -> None:
    info = get_network(store, network if isinstance(network, int) else network_id_by_name(store, network))
    m = info.member(member)
    texts = clean_list([text], _("learning question"))
    if not texts:
        raise InputError(_("the learning question is empty"))
    if texts[0].casefold() in {q.casefold() for q in m.questions}:
        raise InputError(_("{name} already has this learning question").format(name=m.name))
    with store.writing() as s:
        s.add(LearningQuestion(member_id=m.id, text=texts[0], created_at=clock.now()))
