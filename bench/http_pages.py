"""How fast Kindred serves its public pages, compared with a bare Django view on the same server.

Starts Kindred under uvicorn (ASGI, one worker) on a free 127.0.0.1 port against a fresh SQLite
database in a temporary folder (migrated, demo world loaded), warms up, then for each path fires
N GET requests at fixed concurrency C from keep-alive HTTP/1.1 connections in threads, R rounds.
Prints the median over rounds of requests per second, p50 and p95 latency, and how many times
costlier each page is than the minimal view. Everything stays on loopback; every phase is bounded
by a request count and a time limit.

    .venv/bin/python bench/http_pages.py                  # defaults: C=8, N=2000, R=3
    .venv/bin/python bench/http_pages.py -c 4 -n 500 -r 1 # quick look
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
DEFAULT_PATHS = ("/", "/help/", "/bench/minimal/")
MINIMAL = "/bench/minimal/"


@dataclass
class Phase:
    """One burst of requests at one path."""

    path: str
    completed: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    body_bytes: int

    @property
    def rps(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def bench_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "KINDRED_DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        KINDRED_DATA_DIR=str(data_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prepare_database(env: dict[str, str]) -> None:
    for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
        subprocess.run(
            [PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, timeout=300
        )


def uvicorn_command(port: int, *options: str) -> list[str]:
    """uvicorn serving kindred.asgi on HOST:port, quietly (no access log, no lifespan), with extra `options`."""
    return [
        PYTHON,
        "-m",
        "uvicorn",
        "kindred.asgi:application",
        "--host",
        HOST,
        "--port",
        str(port),
        *options,
        "--no-access-log",
        "--log-level",
        "warning",
        "--lifespan",
        "off",
    ]


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Terminate and wait; kill if it does not stop within 15 seconds."""
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=5)


@contextmanager
def kindred_server(env: dict[str, str], port: int) -> Iterator[None]:
    """uvicorn serving kindred.asgi with one worker; stopped (and waited for) on exit."""
    server = subprocess.Popen(uvicorn_command(port, "--workers", "1"), cwd=ROOT, env=env)
    try:
        wait_until_up(port, server)
        yield
    finally:
        stop_server(server)


def wait_until_up(port: int, server: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"uvicorn exited early with code {server.returncode}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", MINIMAL)
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"Kindred did not answer on {HOST}:{port} within {timeout:.0f}s")


def fire(port: int, path: str, *, requests: int, concurrency: int, time_limit: float) -> Phase:
    """Send `requests` GETs to `path` from `concurrency` keep-alive connections; stop early at `time_limit`."""
    tickets = itertools.count()  # next() on a count is atomic under the GIL: each request is claimed once
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0
    body_bytes = 0
    deadline = time.monotonic() + time_limit

    def worker() -> None:
        nonlocal errors, body_bytes
        mine: list[float] = []
        my_errors = 0
        size = 0
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        while next(tickets) < requests and time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                my_errors += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=10)
                continue
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                my_errors += 1
            size = len(body)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors += my_errors
            body_bytes = max(body_bytes, size)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=time_limit + 30)
    seconds = time.perf_counter() - started
    return Phase(path, len(latencies), errors, seconds, latencies, body_bytes)


def median_phase(phases: Sequence[Phase]) -> dict[str, float]:
    return {
        "rps": statistics.median(p.rps for p in phases),
        "p50": statistics.median(p.percentile(50) for p in phases),
        "p95": statistics.median(p.percentile(95) for p in phases),
        "completed": sum(p.completed for p in phases),
        "errors": sum(p.errors for p in phases),
        "bytes": max(p.body_bytes for p in phases),
    }


def print_table(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    floor = results.get(MINIMAL, {}).get("rps", 0.0)
    print()
    print(
        f"HTTP pages — uvicorn, 1 worker, SQLite, DEBUG off; concurrency {args.concurrency}, "
        f"{args.requests} requests per path per round, median of {args.rounds} round{'s' if args.rounds != 1 else ''}"
    )
    machine = f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs"
    print(f"{machine} (the load generator and the server share them)")
    print()
    header = f"{'path':<18}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'× minimal':>11}{'bytes':>9}{'errors':>8}"
    print(header)
    print("-" * len(header))
    for path, row in results.items():
        ratio = floor / row["rps"] if row["rps"] else float("nan")
        print(
            f"{path:<18}{row['rps']:>9.0f}{row['p50']:>9.2f}{row['p95']:>9.2f}{ratio:>10.1f}×"
            f"{int(row['bytes']):>9}{int(row['errors']):>8}"
        )
    print()
    print("× minimal: the minimal view's requests/s divided by the page's — how many bare Django views")
    print("one page costs. Compare runs on the same machine only.")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--concurrency", type=int, default=8, help="simultaneous connections (default 8)")
    parser.add_argument("-n", "--requests", type=int, default=2000, help="requests per path per round (default 2000)")
    parser.add_argument("-r", "--rounds", type=int, default=3, help="rounds; medians are reported (default 3)")
    parser.add_argument("-w", "--warmup", type=int, default=200, help="warm-up requests per path (default 200)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds allowed per burst (default 60)")
    parser.add_argument("--paths", nargs="+", default=list(DEFAULT_PATHS), help="paths to measure")
    parser.add_argument("--database-url", default="", help="measure against this database instead of temp SQLite")
    args = parser.parse_args(argv)
    if not (1 <= args.concurrency <= 256 and 1 <= args.requests <= 1_000_000 and 1 <= args.rounds <= 20):
        parser.error("keep concurrency in 1–256, requests in 1–1,000,000 and rounds in 1–20")
    if MINIMAL not in args.paths:
        args.paths.append(MINIMAL)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="kindred-bench-"))
    (data_dir / "static").mkdir()  # WhiteNoise looks for STATIC_ROOT; the pages measured need no assets
    try:
        env = bench_env(data_dir, args.database_url)
        print(f"Preparing a fresh database in {data_dir} (migrate, load_demo)…", flush=True)
        prepare_database(env)
        port = free_port()
        with kindred_server(env, port):
            print(f"Kindred is up on http://{HOST}:{port}/; warming up…", flush=True)
            for path in args.paths:
                fire(port, path, requests=args.warmup, concurrency=args.concurrency, time_limit=args.time_limit)
            rounds: dict[str, list[Phase]] = {path: [] for path in args.paths}
            for number in range(1, args.rounds + 1):
                for path in args.paths:
                    phase = fire(
                        port,
                        path,
                        requests=args.requests,
                        concurrency=args.concurrency,
                        time_limit=args.time_limit,
                    )
                    rounds[path].append(phase)
                    print(
                        f"  round {number} {path:<16} {phase.rps:8.0f} req/s  "
                        f"p50 {phase.percentile(50):6.2f} ms  p95 {phase.percentile(95):6.2f} ms"
                        + (f"  {phase.errors} errors" if phase.errors else ""),
                        flush=True,
                    )
        results = {path: median_phase(phases) for path, phases in rounds.items()}
        print_table(results, args)
        failed = any(row["errors"] for row in results.values())
        if failed:
            print("Some requests failed (non-200 or connection errors): the figures above are not trustworthy.")
        return 1 if failed else 0
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
