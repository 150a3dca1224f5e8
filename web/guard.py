"""The server's guards: a flood from one address is slowed, a form is sent once.

- `RateLimit`: a token bucket per client address; an empty bucket answers 429.
- `FormSeal`: every form carries a signed, single-use seal bound to the
  browser's cookie (CSRF): a form from elsewhere, an old one or one sent a
  second time is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Bucket:
    tokens: float
    stamp: float


class RateLimit:
    """At most `burst` requests at once per address, refilled at `rate` a second."""

    MAX_ADDRESSES = 10_000  # past this, full buckets are forgotten

    def __init__(self, rate: float = 20.0, burst: float = 60.0, now: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self._now = rate, burst, now
        self._buckets: dict[str, Bucket] = {}

    def allow(self, address: str) -> bool:
        now = self._now()
        bucket = self._buckets.get(address)
        if bucket is None:
            if len(self._buckets) >= self.MAX_ADDRESSES:
                self._forget_full(now)
            bucket = self._buckets[address] = Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.rate)
        bucket.stamp = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def retry_after(self, address: str) -> int:
        bucket = self._buckets.get(address)
        missing = 1 - (bucket.tokens if bucket else 1)
        return max(1, int(missing / self.rate + 0.999))

    def _forget_full(self, now: float) -> None:
        for address, b in list(self._buckets.items()):
            if b.tokens + (now - b.stamp) * self.rate >= self.burst:
                del self._buckets[address]


class FormSeal:
    """Signed single-use form seals: `nonce.issued.signature`, bound to one browser."""

    def __init__(self, max_age: float = 6 * 3600, now: Callable[[], float] = time.time) -> None:
        self._key = secrets.token_bytes(32)  # per server: a restart asks for the form again
        self.max_age, self._now = max_age, now
        self._spent: dict[str, float] = {}  # nonce -> when it expires anyway

    def _sign(self, browser: str, nonce: str, issued: int) -> str:
        msg = f"{browser}|{nonce}|{issued}".encode()
        return hmac.new(self._key, msg, hashlib.sha256).hexdigest()[:32]

    def issue(self, browser: str) -> str:
        nonce, issued = secrets.token_urlsafe(12), int(self._now())
        return f"{nonce}.{issued}.{self._sign(browser, nonce, issued)}"

    def spend(self, browser: str, seal: str) -> str | None:
        """Use a seal up: None if it was good, else why not ("invalid" or "spent")."""
        try:
            nonce, issued_text, sig = seal.split(".")
            issued = int(issued_text)
        except ValueError:
            return "invalid"
        if not browser or not hmac.compare_digest(sig, self._sign(browser, nonce, issued)):
            return "invalid"
        now = self._now()
        if not 0 <= now - issued <= self.max_age:
            return "invalid"
        if nonce in self._spent:
            return "spent"
        if len(self._spent) > 50_000:
            self._spent = {n: t for n, t in self._spent.items() if t > now}
        self._spent[nonce] = issued + self.max_age
        return None
