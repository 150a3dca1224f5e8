"""Learning networks: members, learning questions, roles."""

from __future__ import annotations

from sqlmodel import select

from kring.data.errors import InputError
from kring.data.models import Network
from kring.data.store import Store


def network_id_by_name(store: Store, name: str) -> int:
    with store.session() as s:
        found = s.exec(select(Network.id).where(Network.name == name)).first()
    if found is None:
        raise InputError(f"unknown network '{name}' (see: kring network list)")
    return int(found)
