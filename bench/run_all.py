"""Run every benchmark in bench/ one after another and stop with a failure if any of them failed.

    .venv/bin/python bench/run_all.py            # each benchmark with its defaults
    .venv/bin/python bench/run_all.py -n 500     # extra arguments are passed to every benchmark

A benchmark is any bench/*.py module with a `main(argv)` function except this runner, the Django glue and the
shared helpers (support.py).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"__init__", "run_all", "settings", "support", "urls"}


def benchmarks() -> list[Path]:
    return [
        path
        for path in sorted(BENCH.glob("*.py"))
        if path.stem not in NOT_BENCHMARKS and "def main(" in path.read_text(encoding="utf-8")
    ]


def main(argv: list[str]) -> int:
    failures = []
    for path in benchmarks():
        print(f"=== {path.name} ===", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(path), *argv], cwd=BENCH.parent, check=False)
        print(f"=== {path.name}: {'ok' if result.returncode == 0 else 'FAILED'} in {time.monotonic() - started:.0f}s\n")
        if result.returncode:
            failures.append(path.name)
    if failures:
        print(f"Failed: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
