"""`python -m bot.web [--port 8080]`: runs the web front alone."""
from __future__ import annotations

import argparse

from aiohttp import web

from bot.web.app import WEB_PORT, create_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.web")
    parser.add_argument("--port", type=int, default=WEB_PORT)
    parser.add_argument("--host", default="127.0.0.1")
    arguments = parser.parse_args()
    web.run_app(create_app(), host=arguments.host, port=arguments.port, print=None)


if __name__ == "__main__":
    main()
