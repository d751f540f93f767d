"""The README's console examples work on the demo region, as a reader would type them."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEADING = "### Console commands on the demo region"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(HEADING) :]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def run(line: str, env: dict) -> subprocess.CompletedProcess:
    words = shlex.split(line.split("#")[0])
    settings = dict(word.split("=", 1) for word in words if re.match(r"^[A-Z_]+=", word))
    command = [w for w in words if not re.match(r"^[A-Z_]+=", w)]
    assert command[0] == ".venv/bin/kaveri"
    return subprocess.run(
        [sys.executable, "-m", "kaveri", *command[1:]],
        cwd=ROOT,
        env=env | settings,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def demo_region(tmp_path) -> dict:
    kept_out = ("DATABASE_URL", "KAVERI_DEMO", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG")
    env = {k: v for k, v in os.environ.items() if k not in kept_out}
    env["KAVERI_VAR_DIR"] = str(tmp_path)
    made = subprocess.run(
        [sys.executable, "-m", "kaveri", "demo", "--clients", "30", "--no-serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    return env


def test_every_console_example_of_the_readme_runs_on_the_demo_region(demo_region, tmp_path):
    commands = readme_commands()
    assert len(commands) >= 5
    for line in commands:
        line = line.replace("var/", f"{tmp_path}/")
        done = run(line, demo_region)
        assert done.returncode == 0, f"{line}\n{done.stdout[-800:]}\n{done.stderr[-1500:]}"


def test_without_the_demo_settings_the_command_says_how_to_reach_them(demo_region):
    done = run(".venv/bin/kaveri export", demo_region)
    assert done.returncode == 2
    assert "KAVERI_DEMO=1 .venv/bin/kaveri export" in done.stderr
    assert "Traceback" not in done.stderr
