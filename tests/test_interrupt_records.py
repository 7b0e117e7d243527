"""Kill `searchkit index` at random moments while it indexes one big JSON Lines file in
record mode, and while it syncs the file after appends, changes and deletions. After
every kill the index opens with no article twice; the run after the last kill holds
exactly the records on disk. Fixed seed; small jobs and commit batches."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT
from test_interrupt import indexed_ids

SEED = 20261203
KILLS = 10
RECORDS = 4000  # with jobs of 40 and commits every 30: several seconds on an idle machine


def write_dump(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def ids_on_disk(path: Path) -> list[str]:
    ids = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        ids.append(json.loads(line).get("id") or f"{path.name}#{number}")
    return sorted(ids)


def run_index(dump: Path, index: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1", SEARCHKIT_BATCH="30",
               SEARCHKIT_RECORD_MODE_BYTES="1", SEARCHKIT_RECORD_JOB="40")
    return subprocess.Popen([sys.executable, "-m", "searchkit", "index", str(dump), "--index", str(index)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def test_kills_during_record_mode_lose_and_double_nothing(tmp_path):
    rng = random.Random(SEED)
    dump, index = tmp_path / "dump.jsonl", tmp_path / "index"
    rows = [{"id": f"r{n}", "text": f"commonword record {n}"} if n % 2 else {"text": f"commonword line {n}"}
            for n in range(RECORDS)]
    write_dump(dump, rows)
    kills = 0
    for attempt in range(KILLS):
        if attempt == KILLS // 2:  # from here on, a sync: appended, changed and removed records
            rows = rows[:1700] + rows[1730:] + [{"id": f"new{n}", "text": f"commonword new {n}"}
                                              for n in range(200)]
            for row in rng.sample(rows, 50):
                row["text"] += " changed"
            write_dump(dump, rows)
        process = run_index(dump, index)
        time.sleep(rng.uniform(0.4, 2.0))
        if process.poll() is None:
            os.killpg(process.pid, rng.choice((signal.SIGKILL, signal.SIGINT)))
            kills += 1
        _, stderr = process.communicate(timeout=120)
        starting = process.returncode == -signal.SIGINT and stderr.rstrip().endswith("KeyboardInterrupt")
        assert starting or "Traceback" not in stderr, stderr  # (Ctrl-C while Python starts)
        ids = indexed_ids(index)
        assert len(ids) == len(set(ids)), "an article was indexed twice"
    final = run_index(dump, index)
    _, stderr = final.communicate(timeout=300)
    assert final.returncode == 0, stderr
    assert kills >= KILLS // 2, "the runs ended before the kills: nothing was tested"
    assert indexed_ids(index) == ids_on_disk(dump)
