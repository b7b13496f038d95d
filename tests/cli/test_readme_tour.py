"""The README's tour, run as written: every command in it succeeds, and the backup restored
into a fresh directory verifies to the same head hash."""

import os
import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from claimledger.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def tour_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A five-minute tour", 1)[1].split("\n## ", 1)[0]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for line in joined.splitlines():
            line = line.split("  #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if line:
                commands.append(line)
    return commands


def test_the_tour_runs_as_written(tmp_path, monkeypatch):
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)
    env: dict[str, str] = {}
    runner = CliRunner()
    outputs = []
    commands = tour_commands()
    assert any(c.startswith("claimledger restore") for c in commands)
    for command in commands:
        words = shlex.split(command)
        if words[0] == "export":
            env.update(w.split("=", 1) for w in words[1:])
            continue
        assert words[0] == "claimledger", command
        result = runner.invoke(cli, words[1:], env=env, catch_exceptions=False)
        assert result.exit_code == 0, f"{command}\n{result.output}"
        outputs.append((command, result.stdout))
    verifies = [out for command, out in outputs if command.startswith("claimledger verify")]
    heads = [re.search(r"head: ([0-9a-f]{64})", out).group(1) for out in verifies]
    original = runner.invoke(cli, ["verify"], env=env).stdout
    assert heads[-1] == re.search(r"head: ([0-9a-f]{64})", original).group(1)
    assert os.path.isdir(tmp_path / "desk-copy")
