"""Bad input: one line per failure naming the input and the reason, the rest kept, exit status 2."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsfold.cli import cli
from newsfold.cli.common import run_main


def invoke(args: list[str]) -> tuple[int, str, str]:
    """Run the CLI in-process the way main() does (errors as one line), returning status, stdout, stderr."""
    runner = CliRunner()
    result = runner.invoke(cli, args, catch_exceptions=False, standalone_mode=False)
    if result.exception is not None:
        raise result.exception
    return int(result.return_value or 0), result.stdout, result.stderr


def make_inputs(folder: Path) -> dict[str, Path]:
    """One good file and one of each kind of bad input."""
    folder.mkdir()
    good = folder / "good.txt"
    good.write_text(
        "Harbour reopens after the storms\n\nThe harbour of the town reopened on Monday after storms had closed "
        "it for a week, the port authority said. Fishing boats returned to their moorings in the afternoon, and "
        "the ferry to the islands will run again from Tuesday.\n"
    )
    empty = folder / "empty.txt"
    empty.write_text("")
    binary = folder / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    big = folder / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    latin = folder / "latin1.txt"
    latin.write_bytes(
        "Le café de la gare rouvre\n\nLe café de la gare a rouvert ses portes après l'été, a annoncé la mairie "
        "lundi. Les habitués sont revenus dès le matin, et le patron prévoit de garder la terrasse ouverte "
        "jusqu'à la fin du mois d'octobre.\n".encode("latin-1")
    )
    return {"good": good, "empty": empty, "binary": binary, "big": big, "latin": latin}


def test_each_bad_input_named_on_one_line_and_the_rest_kept(tmp_path: Path) -> None:
    files = make_inputs(tmp_path / "in")
    empty_dir = tmp_path / "nothing"
    empty_dir.mkdir()
    (empty_dir / "notes.md").write_text("not an input kind")
    missing = tmp_path / "missing.txt"
    db = tmp_path / "x.db"
    args = ["ingest", *map(str, files.values()), str(missing), str(empty_dir), "--db", str(db)]
    status, _, err = invoke(args)
    assert status == 2
    lines = [line for line in err.splitlines() if line.startswith("newsfold: ")]
    by_name = {name: [line for line in lines if str(path) in line] for name, path in files.items()}
    assert by_name["good"] == [] and by_name["latin"] == []
    assert any("empty file" in line for line in by_name["empty"])
    assert any("binary" in line for line in by_name["binary"])
    assert any("MB" in line and "limit" in line for line in by_name["big"])
    assert any(str(missing) in line and "no such file" in line for line in lines)
    assert any(str(empty_dir) in line and "no readable files" in line for line in lines)
    assert "Traceback" not in err
    with sqlite3.connect(db) as conn:
        texts = [row[0] for row in conn.execute("SELECT text FROM articles")]
    assert any("harbour of the town reopened" in t for t in texts)
    assert any("café de la gare" in t for t in texts)


def test_unknown_command_line_errors_do_not_trace(tmp_path: Path) -> None:
    status = subprocess.run(
        [sys.executable, "-m", "newsfold.cli", "story", "nope", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert status.returncode == 1
    assert status.stderr.strip().count("\n") == 0
    assert "no such story" in status.stderr and "Traceback" not in status.stderr


def test_run_main_turns_domain_errors_into_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"garbage" * 1000)
    monkeypatch.setattr(sys, "argv", ["newsfold", "stories", "--db", str(bogus)])
    assert run_main(cli) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsfold: ") and "bogus.db" in err and "not a newsfold database" in err
    assert err.count("\n") == 1


def _count(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
    return int(articles[0]), int(articles[1])


def test_killed_ingest_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:04d}.txt").write_text(
            f"Report number {i} on the regional council\n\nThe council met for session {i} and voted "
            f"{i % 7} times on the budget of district {i * 13 % 97}.\n"
        )
    db = tmp_path / "killed.db"
    env = {**os.environ, "NEWSFOLD_INGEST_BATCH_SIZE": "4"}
    cmd = [sys.executable, "-m", "newsfold.cli", "ingest", str(folder), "--db", str(db)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if db.exists():
            try:
                if _count(db)[0] >= 8:
                    break
            except sqlite3.OperationalError:
                continue
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial, _ = _count(db)
    assert 0 < partial < 400, "the kill should land mid-ingest"
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    total, distinct = _count(db)
    assert total == distinct == 400
    again = subprocess.run(
        [sys.executable, "-m", "newsfold.cli", "stories", "--json", "--limit", "1000", "--db", str(db)],
        capture_output=True,
        text=True,
        check=True,
    )
    members = [a["id"] for line in again.stdout.splitlines() for a in json.loads(line)["articles"]]
    assert len(members) == len(set(members)) == 400
