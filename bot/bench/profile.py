"""Where the time of one message goes: our code (bot/, actions/) or Rasa's and its libraries'.

Loads the model in this process with the project's endpoints (the privacy tracker store on SQLite,
our NLG, a real action server) and handles conversations through `Agent.handle_message` under
pyinstrument, so the HTTP layer (Sanic) is left out. Writes the profile as text and a summary of
the time per part (by the file each sampled frame runs in).
"""
from __future__ import annotations

import asyncio
import os
import subprocess
import sysconfig
import tempfile
import time
from pathlib import Path

import yaml

from bot.local_servers import free_port
from bot.paths import ROOT
from bot.serve import action_server_command, quiet_environment

PARTS = (
    ("ours", (str(ROOT / "bot"), str(ROOT / "actions"))),
    ("rasa", ("/rasa/", "/rasa_sdk/")),
    ("tensorflow/numpy", ("/tensorflow/", "/keras/", "/numpy/", "/scipy/", "/sklearn/")),
    ("sqlalchemy/sqlite", ("/sqlalchemy/", "sqlite3")),
    ("language detection (lingua)", ("/lingua",)),
    ("spacy", ("/spacy/", "/thinc/")),
    ("http (aiohttp)", ("/aiohttp/",)),
    ("dask (Rasa's graph runner)", ("/dask/",)),
)
# Python's standard library and built-ins work for whoever calls them (json for Rasa, re for us).
STANDARD_LIBRARY = sysconfig.get_paths()["stdlib"]


def _is_standard(path: str) -> bool:
    return not path or path.startswith("<") or (path.startswith(STANDARD_LIBRARY) and "site-packages" not in path)


def _part(path: str) -> str:
    if str(ROOT / "bot" / "bench") in path:
        return "benchmark harness"
    for name, markers in PARTS:
        if any(marker in path for marker in markers):
            return name
    return "other"


def _self_time(frame) -> float:
    """Time in the frame itself (pyinstrument 5 keeps only the total)."""
    return max(0.0, frame.time - sum(child.time for child in frame.children))


def time_by_part(frame, totals: dict[str, float] | None = None, functions: dict[str, float] | None = None,
                 parent: tuple[str, str] = ("", "")):
    """Self time of every frame of the pyinstrument tree, added up by part and by our functions.
    pyinstrument 5 records a function's own time as a child frame with no file ("[self]"): that
    time goes to the parent's part, as does the standard library's."""
    totals = {} if totals is None else totals
    functions = {} if functions is None else functions
    path, function = parent if _is_standard(frame.file_path or "") else (frame.file_path, frame.function)
    part = _part(path)
    totals[part] = totals.get(part, 0.0) + _self_time(frame)
    if part == "ours":
        key = f"{Path(path).relative_to(ROOT) if path.startswith(str(ROOT)) else path}:{function}"
        functions[key] = functions.get(key, 0.0) + _self_time(frame)
    for child in frame.children:
        time_by_part(child, totals, functions, (path, function))
    return totals, functions


def inclusive_ours(frame, found: dict[str, float] | None = None, inside: bool = False) -> dict[str, float]:
    """Total time (with what they call) of our outermost functions: what our components cost."""
    found = {} if found is None else found
    path = frame.file_path or ""
    ours = _part(path) == "ours"
    if ours and not inside:
        key = f"{Path(path).relative_to(ROOT)}:{frame.function}"
        found[key] = found.get(key, 0.0) + frame.time
    for child in frame.children:
        inclusive_ours(child, found, inside or ours)
    return found


def run_profile(messages: int = 300, turns: int = 50, out: Path = ROOT / "reports" / "bench") -> dict:
    from pyinstrument import Profiler

    from bot.bench.speed import texts_by_language

    state = Path(tempfile.mkdtemp(prefix="zorgrecht-profile-"))
    port = free_port()
    env = quiet_environment()
    env["ASSISTANT_VAR_DIR"] = os.environ["ASSISTANT_VAR_DIR"] = str(state)
    actions = subprocess.Popen(action_server_command(port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    try:
        endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text("utf-8"))
        endpoints["action_endpoint"]["url"] = f"http://127.0.0.1:{port}/webhook"
        endpoints["tracker_store"]["db"] = str(state / "conversations.db")
        endpoints_file = state / "endpoints.yml"
        endpoints_file.write_text(yaml.safe_dump(endpoints), "utf-8")
        return asyncio.run(_profile(endpoints_file, texts_by_language(), messages, turns, out, Profiler))
    finally:
        actions.terminate()
        actions.wait(20)


async def _profile(endpoints_file: Path, texts: list[list[str]], messages: int, turns: int, out: Path,
                   profiler_class) -> dict:
    import random

    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints

    agent = await load_agent(str(ROOT / "models" / "current.tar.gz"),
                             endpoints=AvailableEndpoints.read_endpoints(str(endpoints_file)))
    rng = random.Random(5)
    await asyncio.sleep(3)  # the action server starts meanwhile
    for number in range(10):  # warm-up: first calls build caches
        await agent.handle_message(UserMessage(rng.choice(texts[number % len(texts)]), CollectingOutputChannel(),
                                               f"warm-{number}"))
    profiler = profiler_class(interval=0.0005, async_mode="disabled")
    start = time.perf_counter()
    profiler.start()
    for number in range(messages):
        conversation = number // turns
        text = rng.choice(texts[conversation % len(texts)])
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), f"profile-{conversation}"))
    profiler.stop()
    seconds = time.perf_counter() - start
    out.mkdir(parents=True, exist_ok=True)
    (out / "profile.txt").write_text(profiler.output_text(unicode=False, color=False), "utf-8")
    root = profiler.last_session.root_frame()
    totals, functions = time_by_part(root)
    total = sum(totals.values()) or 1.0
    top_ours = sorted(inclusive_ours(root).items(), key=lambda kv: -kv[1])[:12]
    return {
        "messages": messages,
        "turns": turns,
        "ms_per_message": round(seconds * 1000 / messages, 2),
        "share_by_part": {name: round(value / total, 3)
                          for name, value in sorted(totals.items(), key=lambda kv: -kv[1])},
        "ours_ms_per_message_inclusive": {name: round(value * 1000 / messages, 2) for name, value in top_ours},
        "ours_self_ms_per_message": {name: round(value * 1000 / messages, 2)
                                     for name, value in sorted(functions.items(), key=lambda kv: -kv[1])[:12]},
    }
