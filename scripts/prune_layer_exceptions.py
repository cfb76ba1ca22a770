"""Take off pyproject.toml's layering exceptions the code no longer needs (lint-imports names them)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    result = subprocess.run(
        [str(ROOT / ".venv/bin/lint-imports"), "--no-cache"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    text = " ".join((result.stdout + result.stderr).split())
    unused = re.findall(r"No matches for ignored import (\S+ -> \S+?)\.(?= |$)", text)
    pyproject = ROOT / "pyproject.toml"
    lines = pyproject.read_text().splitlines(keepends=True)
    kept = [line for line in lines if line.strip().rstrip(",").strip('"') not in set(unused)]
    pyproject.write_text("".join(kept))
    for item in unused:
        print("no longer needed:", item)
    return 0


if __name__ == "__main__":
    sys.exit(main())
