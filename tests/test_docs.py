"""The README, the Makefile and the code agree (after datasette's test_docs)."""
import re

from bot.paths import ROOT

README = (ROOT / "README.md").read_text("utf-8")
MAKEFILE = (ROOT / "Makefile").read_text("utf-8")


def test_readme_starts_with_the_two_setup_commands():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make run" in quick_start and "make test" in quick_start


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_every_make_target_with_help_is_in_the_readme():
    targets = re.findall(r"^([a-z-]+):.*## ", MAKEFILE, flags=re.M)
    missing = [t for t in targets if f"`{t}`" not in README and f"make {t}" not in README]
    assert not missing, missing


def test_every_environment_variable_the_code_reads_is_documented():
    code = "\n".join(p.read_text("utf-8") for p in (ROOT / "bot").rglob("*.py"))
    variables = set(re.findall(r"environ(?:\.get)?\(\s*\"([A-Z_]+)\"", code)) | set(
        re.findall(r"secret\(\"[a-z_]+\", \"([A-Z_]+)\"\)", code)
    )
    variables -= {"RASA_TELEMETRY_ENABLED", "TF_CPP_MIN_LOG_LEVEL", "PYTHONWARNINGS"}
    missing = [v for v in sorted(variables) if f"`{v}`" not in README]
    assert not missing, missing


def test_files_the_readme_names_exist():
    for path in re.findall(r"`((?:bot|content|data|domain|tests|docs|actions)/[\w./<>-]+)`", README):
        if "<" in path:
            continue
        assert (ROOT / path.rstrip("/")).exists(), path
