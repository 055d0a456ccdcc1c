"""The blocks of the workspace: what waits for the signed-in person, with counts and
links, the overdue first.

Organisations sit below the apps whose work the blocks show, so it cannot ask them:
each app registers its blocks from its AppConfig.ready() (proposals, indicators, and
briefing for the sessions), and the workspace view renders those that apply to the
user. A block is built with a fixed number of queries, whatever the number of items.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class Entry:
    """A count of things in one state, linking to the list of them."""

    label: str
    count: int
    url: str
    # Overdue, or waiting for this person: shown first, in the summary at the top too.
    urgent: bool = False
    note: str = ""
    # Names the entry for scripts and tests (data-entry), whatever the language.
    key: str = ""


@dataclass
class Item:
    """One named thing to act on (a recommendation, a report, a task)."""

    label: str
    url: str
    note: str = ""
    overdue: bool = False
    code: str = ""


@dataclass
class Block:
    key: str
    title: str
    entries: list[Entry] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    items_title: str = ""
    more_url: str = ""
    more_label: str = ""
    empty: str = ""

    @property
    def urgent(self) -> list[Entry]:
        return [e for e in self.entries if e.urgent and e.count]

    @property
    def is_empty(self) -> bool:
        return not self.items and not any(e.count for e in self.entries)


@dataclass(frozen=True)
class Registration:
    key: str
    order: int
    applies: Callable  # (user) -> bool
    build: Callable  # (user, today) -> Block | None


_REGISTRY: dict[str, Registration] = {}


def register(key: str, *, order: int, applies: Callable, build: Callable) -> None:
    """Add a block (registering the same key again replaces it: ready() may run twice)."""
    _REGISTRY[key] = Registration(key, order, applies, build)


def registered() -> list[Registration]:
    return sorted(_REGISTRY.values(), key=lambda r: (r.order, r.key))


def blocks_for(user, today: datetime.date | None = None) -> list[Block]:
    """The blocks that apply to `user`, in their order, each entry list overdue first."""
    today = today or timezone.localdate()
    blocks = []
    for registration in registered():
        if not registration.applies(user):
            continue
        block = registration.build(user, today)
        if block is None:
            continue
        block.entries.sort(key=lambda e: not (e.urgent and e.count))
        blocks.append(block)
    return blocks


def urgent_entries(blocks: list[Block]) -> list[Entry]:
    """Everything overdue or waiting for the person, across the blocks: the page's
    first answer to "what do I do now"."""
    return [entry for block in blocks for entry in block.urgent]
