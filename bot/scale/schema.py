"""Creates the databases' tables once, before several instances start.

Each Rasa instance creates its tables at start-up (`CREATE TABLE` through SQLAlchemy's
`create_all`, which checks first and then creates): two instances starting together race, and the
second fails with "relation already exists". Run once first, this builds the configured tracker store
and event broker exactly as an instance does (so whatever they create exists), then the handoff's
and the counters' tables.
"""
from __future__ import annotations

import asyncio
import importlib
import os
import sys
from pathlib import Path


async def _create_stores(endpoints: Path) -> None:
    from rasa.core.brokers.broker import EventBroker
    from rasa.core.tracker_store import TrackerStore
    from rasa.core.utils import AvailableEndpoints

    configured = AvailableEndpoints.read_endpoints(str(endpoints))
    broker = await EventBroker.create(configured.event_broker) if configured.event_broker else None
    TrackerStore.create(configured.tracker_store, event_broker=broker)


def prepare(endpoints: Path) -> None:
    asyncio.run(_create_stores(endpoints))
    # Our own databases create their tables on first use; first use may come on two instances at once.
    for module in ("bot.database", "bot.insights.store"):
        try:
            importlib.import_module(module).engine()
        except (ImportError, AttributeError):
            continue


if __name__ == "__main__":
    prepare(Path(sys.argv[1]))
    sys.stdout.flush()
    os._exit(0)  # the tracker store may have started a background job (retention)
