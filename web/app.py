"""The participants' web application (aiohttp, Jinja2 templates).

Every address lives under `/m/<token>/`; a wrong token, or the token of a
meeting that has closed, gets a bare 404 and nothing else, also for the
stylesheet. The pages are server-rendered HTML forms that work without
JavaScript; one small script (same origin, strict CSP) keeps the live page
current from `events` (server-sent events) and turns it into the form when the
agenda reaches its evaluation step.

Answers are stored through kring.data.evaluation, the same as the terminal's,
and committed before the answer to the browser is sent. When the meeting
evaluates anonymously the form asks no name: the browser's answers go under a
receipt made from its cookie (`unnamed_receipt`), which holds neither a name
nor the cookie, so each browser answers once and the count includes it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, NoReturn

import jinja2
from aiohttp import web

from kring.data import i18n
from kring.data.core.clock import Clock
from kring.data.errors import InputError
from kring.data.forgotten import Forgotten
from kring.data.evaluation import (
    AlreadyAnswered,
    AnswerError,
    EvaluationContext,
    EveryoneAnswered,
    has_receipt,
    open_evaluation,
    submit,
    submit_unnamed,
    unnamed_receipt,
)
from kring.data.store import Store
from kring.data.weblink import live_meeting_of
from kring.web.follow import Follower
from kring.web.guard import FormSeal, RateLimit
from kring.web.text import shown
from kring.web.view import as_of, first_names, live_view

HERE = Path(__file__).parent
STATIC = {"kring.css": "text/css", "live.js": "text/javascript", "icon.svg": "image/svg+xml"}
BROWSER_COOKIE = "kring_b"
DONE_COOKIE = "kring_done"
CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEARTBEAT = 15.0  # seconds between keep-alive comments on an idle event stream


@dataclass
class Limits:
    body_bytes: int = 64 * 1024  # a form's answers, with room for a few long open answers
    rate: float = 20.0  # requests a second per address, after a burst of
    burst: float = 60.0
    streams_per_address: int = 40  # open live pages from one address (a hybrid room behind one router)
    follow_interval: float = 0.1


@dataclass
class ServerState:
    store: Store
    meeting_id: int
    token: str
    clock: Clock
    follower: Follower
    seal: FormSeal
    limit: RateLimit
    limits: Limits
    templates: jinja2.Environment
    streams: dict[str, int]
    stopping: asyncio.Event
    # the evaluation's context, read again only when the store's change token moves
    context: tuple[Any, EvaluationContext] | None = None
    # the names this server has read, and those forgotten since (kring.data.forgotten)
    known: list[str] = field(default_factory=list)
    forgotten: Forgotten = field(default_factory=Forgotten)


KEY_STATE = web.AppKey("state", ServerState)


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.globals["_"] = i18n._
    return env


def make_app(store: Store, meeting_id: int, token: str, clock: Clock, limits: Limits | None = None) -> web.Application:
    limits = limits or Limits()
    follower = Follower(store, meeting_id, lambda: live_view(store, meeting_id, clock), limits.follow_interval)
    state = ServerState(
        store=store, meeting_id=meeting_id, token=token, clock=clock, follower=follower, seal=FormSeal(),
        limit=RateLimit(limits.rate, limits.burst), limits=limits, templates=_templates(), streams={},
        stopping=asyncio.Event(),
    )
    app = web.Application(client_max_size=limits.body_bytes, middlewares=[_guard])
    app[KEY_STATE] = state
    app.router.add_get("/m/{token}", live_page)
    app.router.add_get("/m/{token}/", live_page)
    app.router.add_get("/m/{token}/events", events)
    app.router.add_get("/m/{token}/form", form_page)
    app.router.add_post("/m/{token}/form", form_post)
    app.router.add_get("/m/{token}/thanks", thanks_page)
    app.router.add_get("/m/{token}/static/{name}", static_file)
    app.on_startup.append(_start)
    app.on_shutdown.append(_stop_streams)
    app.on_cleanup.append(_stop)
    return app


def _state(request: web.Request) -> ServerState:
    return request.app[KEY_STATE]


async def _start(app: web.Application) -> None:
    app[KEY_STATE].follower.start()


async def _stop_streams(app: web.Application) -> None:
    app[KEY_STATE].stopping.set()
    app[KEY_STATE].follower.hang_up()


async def _stop(app: web.Application) -> None:
    await app[KEY_STATE].follower.stop()


# --- every request ------------------------------------------------------------------


def _address(request: web.Request) -> str:
    return request.remote or "?"


@web.middleware
async def _guard(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                 ) -> web.StreamResponse:
    st = _state(request)
    if not st.limit.allow(_address(request)):
        return web.Response(status=429, text="429: Too Many Requests",
                            headers={"Retry-After": str(st.limit.retry_after(_address(request)))})
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _secure_headers(exc)
        raise
    if not response.prepared:
        _secure_headers(response)
    return response


def _secure_headers(response: web.StreamResponse | web.HTTPException) -> None:
    h = response.headers
    h["Content-Security-Policy"] = CSP
    h["X-Content-Type-Options"] = "nosniff"
    h["Referrer-Policy"] = "no-referrer"  # the token is in the address: never hand it on
    h["X-Frame-Options"] = "DENY"
    h["Cache-Control"] = "no-store"


async def _meeting(request: web.Request) -> ServerState:
    """The server's state if the address's token opens its meeting now; else a bare 404."""
    st = _state(request)
    token = request.match_info.get("token", "")
    if not secrets.compare_digest(token.encode(), st.token.encode()):
        raise web.HTTPNotFound()
    found = await asyncio.to_thread(live_meeting_of, st.store, token)
    if found != st.meeting_id:
        raise web.HTTPNotFound()
    return st


def _render(st: ServerState, name: str, status: int = 200, **context: Any) -> web.Response:
    base = f"/m/{st.token}"
    html = st.templates.get_template(name).render(lang=i18n.current(), base=base, **context)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


# --- the live page -----------------------------------------------------------------


async def live_page(request: web.Request) -> web.StreamResponse:
    st = await _meeting(request)
    view = as_of(await st.follower.current(), st.clock.now().timestamp())
    if view["evaluation"] and request.cookies.get(DONE_COOKIE) != "1":
        return await _form(request, st)  # the evaluation step: the page becomes the form
    return _render(st, "live.html", view=view, done=request.cookies.get(DONE_COOKIE) == "1")


async def events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: the live view now, then each time it changes."""
    st = await _meeting(request)
    address = _address(request)
    if st.streams.get(address, 0) >= st.limits.streams_per_address:
        raise web.HTTPTooManyRequests(headers={"Retry-After": "30"})
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no"})
    _secure_headers(response)
    st.streams[address] = st.streams.get(address, 0) + 1
    queue = st.follower.listen()
    try:
        await response.prepare(request)
        view = await st.follower.current()
        await response.write(_event(as_of(view, st.clock.now().timestamp())))
        while not st.stopping.is_set():
            try:
                view = await asyncio.wait_for(queue.get(), HEARTBEAT)
            except asyncio.TimeoutError:
                await response.write(b": still here\n\n")
                continue
            if view is None:  # the server is stopping
                break
            await response.write(_event(view))
            if view["state"] == "closed":
                break
    except ConnectionResetError:  # the page was closed
        pass
    finally:
        st.follower.leave(queue)
        st.streams[address] -= 1
        if not st.streams[address]:
            del st.streams[address]
    return response


def _event(view: dict[str, Any]) -> bytes:
    return f"event: view\ndata: {json.dumps(view, ensure_ascii=False)}\n\n".encode()


async def static_file(request: web.Request) -> web.StreamResponse:
    await _meeting(request)  # without the token, not even the stylesheet
    name = request.match_info["name"]
    if name not in STATIC:
        raise web.HTTPNotFound()
    return web.Response(body=(HERE / "static" / name).read_bytes(), content_type=STATIC[name], charset="utf-8")


# --- the evaluation form ---------------------------------------------------------------


@dataclass
class FormView:
    """The form as the template shows it."""

    context: EvaluationContext
    names: dict[str, str]  # short name shown -> full name, for those still to answer (none when anonymous)
    bringers: list[str]  # short names of the case-bringers (their own questions)

    @classmethod
    def of(cls, ctx: EvaluationContext) -> "FormView":
        short = first_names(ctx.participants)
        waiting = {} if ctx.anonymous else {short[n]: n for n in ctx.waiting}
        return cls(ctx, waiting, [short.get(n, shown(n)) for n in ctx.case_bringers])

    @property
    def questions(self) -> list[Any]:
        """The form's questions; the case-bringer's are skipped where there was no case-bringer."""
        ctx = self.context
        return [q for q in ctx.form.questions if not (q.case_bringer_only and ctx.skips_case_bringer)]

    @property
    def open(self) -> bool:
        """Someone may still answer."""
        return not self.context.everyone_answered if self.context.anonymous else bool(self.names)


def _browser(request: web.Request) -> tuple[str, bool]:
    """This browser's cookie (the form seal is bound to it), and whether it is new."""
    value = request.cookies.get(BROWSER_COOKIE, "")
    if 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
        return value, False
    return secrets.token_urlsafe(24), True


def _set_cookie(response: web.StreamResponse, st: ServerState, name: str, value: str) -> None:
    response.set_cookie(name, value, path=f"/m/{st.token}", httponly=True, samesite="Lax")


async def _context(st: ServerState) -> EvaluationContext:
    """Who may still answer, and the form: read once per change of the store (the follower's token).

    Between two looks it may lag a fraction of a second behind an answer; `submit` is the judge."""
    token = st.follower.token
    if token is not None and st.context is not None and st.context[0] == token:
        return st.context[1]
    try:
        ctx = await asyncio.to_thread(open_evaluation, st.store, st.meeting_id)
    except InputError:
        raise web.HTTPNotFound() from None  # the network's form is missing: nothing to show
    if token is not None:
        st.context = (token, ctx)
    _names_read(st, ctx.participants)
    return ctx


def _names_read(st: ServerState, names: list[str]) -> None:
    """A participant's name gone from the store was forgotten: a page loaded before may still
    send it, typed into an answer, and it is stored without it."""
    if st.known:
        from kring.data.forget import placeholder_base

        st.forgotten.learn(st.known, names, placeholder_base())
    st.known = list(names)


async def _form(request: web.Request, st: ServerState, *, status: int = 200, error: str = "",
                given: dict[str, str] | None = None) -> web.StreamResponse:
    ctx = await _context(st)
    browser, new = _browser(request)
    fv = FormView.of(ctx)
    sent = ctx.anonymous and not new and await asyncio.to_thread(
        has_receipt, st.store, st.meeting_id, unnamed_receipt(st.token, browser))
    response = _render(st, "form.html", status=status, form=fv, seal=st.seal.issue(browser), error=error,
                       given=given or {}, shown=shown, sent=sent)
    if new:
        _set_cookie(response, st, BROWSER_COOKIE, browser)
    return response


async def form_page(request: web.Request) -> web.StreamResponse:
    st = await _meeting(request)
    return await _form(request, st)


async def form_post(request: web.Request) -> web.StreamResponse:
    st = await _meeting(request)
    posted = await request.post()  # past the size limit: 413
    fields = {k: v for k, v in posted.items() if isinstance(v, str)}
    browser, new = _browser(request)
    refused = st.seal.spend("" if new else browser, fields.get("seal", ""))  # no cookie: no valid seal
    if refused == "spent":
        return _render(st, "refused.html", status=409, message=i18n._("These answers have already been sent."))
    if refused:
        return _render(st, "refused.html", status=403,
                       message=i18n._("This form is no longer valid. Open it again to answer."))
    given = {k: v for k, v in fields.items() if k not in ("seal", "who")}
    ctx = await _context(st)
    if ctx.anonymous:
        return await _post_unnamed(request, st, ctx, browser, given)
    fv = FormView.of(ctx)
    who = fields.get("who", "")
    participant = fv.names.get(who)
    if participant is None:
        everyone = first_names(ctx.participants)
        if who in everyone.values():
            return await _form(request, st, status=409, given=given,
                               error=i18n._("{name} has already answered.").format(name=who))
        return await _form(request, st, status=400, given=given, error=i18n._("Choose your name."))
    allowed = {q.id for q in ctx.questions_for(participant)}
    answers = {q.id: st.forgotten.text(given[q.id]) for q in ctx.form.questions if q.id in allowed and q.id in given}
    try:
        # committed before the browser hears it is stored
        await asyncio.to_thread(submit, st.store, st.meeting_id, participant, answers, st.clock,
                                form=ctx.form, anonymous=ctx.anonymous)
    except AlreadyAnswered:
        return await _form(request, st, status=409, given=given,
                           error=i18n._("{name} has already answered.").format(name=who))
    except InputError as exc:
        return await _form(request, st, status=400, given=given, error=_problem(ctx, exc))
    _stored(st)


async def _post_unnamed(request: web.Request, st: ServerState, ctx: EvaluationContext, browser: str,
                        given: dict[str, str]) -> web.StreamResponse:
    """An anonymous form: no name, one answer per browser under a receipt that holds none."""
    answers = {q.id: st.forgotten.text(given[q.id]) for q in ctx.form.questions if q.id in given}
    try:
        await asyncio.to_thread(submit_unnamed, st.store, st.meeting_id, unnamed_receipt(st.token, browser),
                                answers, st.clock, form=ctx.form)
    except AlreadyAnswered:  # says no more than that this browser has sent its answers
        return _render(st, "refused.html", status=409, message=i18n._("These answers have already been sent."))
    except EveryoneAnswered:
        st.context = None
        return await _form(request, st, status=409)
    except InputError as exc:
        return await _form(request, st, status=400, given=given, error=_problem(ctx, exc))
    _stored(st)


def _stored(st: ServerState) -> NoReturn:
    """Answers are in the store: the counts move, and the browser is thanked."""
    st.context = None
    st.follower.poke()
    response = web.HTTPSeeOther(f"/m/{st.token}/thanks")
    _set_cookie(response, st, DONE_COOKIE, "1")
    raise response


def _problem(ctx: EvaluationContext, exc: InputError) -> str:
    """The data layer's reason in the reader's words where it says which question."""
    if isinstance(exc, AnswerError):
        if exc.question is None:
            return i18n._("Answer at least one question.")
        for q in ctx.form.questions:
            if q.id == exc.question:
                return i18n._("This answer does not fit: {question}").format(question=shown(q.text))
    return i18n._("These answers could not be stored. Check them and send again.")


async def thanks_page(request: web.Request) -> web.StreamResponse:
    st = await _meeting(request)
    view = await st.follower.current()
    return _render(st, "thanks.html", view=view)
