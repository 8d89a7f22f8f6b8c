"""The parser table's vocabulary: a command is its name, help, arguments and handler, declared once.

``build_parser`` turns the table into argparse parsers; nothing adds an argument to a parser, or swaps a handler,
after the table is written. The handler of the command the user chose is ``args.handler`` (None without one).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True, slots=True)
class Arg:
    """One ``add_argument`` call: its flags (or positional name) and options."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


def arg(*flags: str, **options: Any) -> Arg:
    return Arg(flags, options)


@dataclass(frozen=True, slots=True)
class OneOf:
    """Mutually exclusive arguments (exactly one of them when ``required``)."""

    args: tuple[Arg, ...]
    required: bool = True


@dataclass(frozen=True, slots=True)
class Command:
    """A command with a handler, or a group of subcommands (``sub``) without one."""

    name: str
    help: str
    handler: Handler | None = None
    args: tuple[Arg | OneOf, ...] = ()
    sub: tuple[Command, ...] = ()


def command(name: str, help: str, handler: Handler, *args: Arg | OneOf) -> Command:
    return Command(name, help, handler, args)


def group(name: str, help: str, *sub: Command) -> Command:
    return Command(name, help, sub=sub)


def build_parser(parser: argparse.ArgumentParser, top: Sequence[Arg],
                 commands: Sequence[Command]) -> argparse.ArgumentParser:
    """``parser`` with the top-level options ``top`` and one subparser per command of ``commands``."""
    _add_args(parser, top)
    parser.set_defaults(handler=None)
    _add_commands(parser, commands, dest="command", required=False)
    return parser


def _add_args(parser: argparse.ArgumentParser, args: Sequence[Arg | OneOf]) -> None:
    for a in args:
        if isinstance(a, OneOf):
            exclusive = parser.add_mutually_exclusive_group(required=a.required)
            for one in a.args:
                exclusive.add_argument(*one.flags, **one.options)
        else:
            parser.add_argument(*a.flags, **a.options)


def _add_commands(parser: argparse.ArgumentParser, commands: Sequence[Command], *, dest: str, required: bool) -> None:
    sub = parser.add_subparsers(dest=dest, required=required)
    for c in commands:
        p = sub.add_parser(c.name, help=c.help)
        _add_args(p, c.args)
        if c.sub:
            _add_commands(p, c.sub, dest=f"{c.name}_command", required=True)
        else:
            p.set_defaults(handler=c.handler)
