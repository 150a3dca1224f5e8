"""kring network new · add · list · show"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("network", parents=[common], help="learning networks and their members")
    p.set_defaults(func=cmd_network)


def cmd_network(args: argparse.Namespace) -> int:
    from kring.data.errors import InputError

    raise InputError("kring network is not built yet")


def start_network_meeting(args: argparse.Namespace) -> int:
    from kring.data.errors import InputError

    raise InputError("kring run --network is not built yet")
