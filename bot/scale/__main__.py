"""`python -m bot.scale up|down|status|docs`, and the commands the stack and the systemd units run:
`run-rasa` and `run-actions` (one code path for both, so the documented units cannot drift)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from bot.paths import ROOT


def run_rasa(port: int, model: Path, endpoints: Path, credentials: Path) -> None:
    """Replaces this process with one Rasa instance (REST, socket.io, HTTP API with a token)."""
    from bot.serve import rasa_command

    command = rasa_command(model, port, endpoints)
    command[command.index("--credentials") + 1] = str(credentials)
    os.chdir(ROOT)
    os.execv(command[0], command)


def run_actions(port: int) -> None:
    from bot.serve import action_server_command

    command = action_server_command(port)
    os.chdir(ROOT)
    os.execv(command[0], command)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.scale", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start PostgreSQL, Redis, 2 action servers, nginx, 2 Rasa instances")
    commands.add_parser("down", help="stop them (the database stays in var/scale/postgres)")
    commands.add_parser("status", help="pid of each process")
    commands.add_parser("docs", help="rewrite the generated blocks of docs/deploy.md")
    rasa = commands.add_parser("run-rasa")
    rasa.add_argument("--port", type=int, required=True)
    rasa.add_argument("--model", type=Path, required=True)
    rasa.add_argument("--endpoints", type=Path, required=True)
    rasa.add_argument("--credentials", type=Path, required=True)
    actions = commands.add_parser("run-actions")
    actions.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)

    if args.command == "run-rasa":
        run_rasa(args.port, args.model, args.endpoints, args.credentials)
    if args.command == "run-actions":
        run_actions(args.port)
    if args.command == "docs":
        from bot.scale.templates import update_deploy_doc

        print("docs/deploy.md updated" if update_deploy_doc() else "docs/deploy.md already up to date")
        return 0

    from bot.scale.stack import Stack

    stack = Stack()
    if args.command == "up":
        stack.up()
        s = stack.settings
        print(f"nginx on {s.url} (REST /webhooks/rest/webhook, socket.io, HTTP API); Rasa on "
              f"{', '.join(map(str, s.rasa_ports))}; actions behind {s.host}:{s.actions_lb_port}; "
              f"PostgreSQL {s.postgres_port}, Redis {s.redis_port}. API token: {s.secrets_dir}/rasa_api_token. "
              "Stop with `make scale-down`.")
    elif args.command == "down":
        stack.down()
        print("stack stopped")
    else:
        for name, pid in stack.status().items():
            print(f"{name:10} {pid or 'stopped'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
