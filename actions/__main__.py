"""`python -m actions [--port 5055]`: the action server, with its token check (actions/server.py)."""
from __future__ import annotations

import argparse
import logging
import os

from bot.secrets import action_server_token


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m actions", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "0.0.0.0"))  # as rasa-sdk
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from bot.privacy.logs import redact_logs

    redact_logs()
    from actions.server import create_action_server

    app = create_action_server(action_server_token())
    app.run(arguments.host, arguments.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
