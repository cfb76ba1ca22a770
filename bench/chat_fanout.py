"""Live chat fan-out on loopback: Kindred on Redis with two ASGI worker processes, against a bare broadcast server.

What it does, all on 127.0.0.1 and bounded in time:

1. Builds a throwaway database (PostgreSQL `kindred_chat_bench` on 127.0.0.1, dropped afterwards; or
   `--database sqlite`, a temporary file), one organisation, N people
   (default 500) with sessions, and R always-open rooms (default 10). Uses Redis database 13 on the local
   server (`--redis-url`), flushed before and after: never your REDIS_URL's data.
2. Starts two uvicorn processes serving kindred.asgi (the production channel layer: channels-redis), each on
   its own port; clients alternate between them, so most deliveries cross processes through Redis.
3. Memory: RSS of the servers before and after 1,000 extra idle clients connect; printed per 1,000 clients.
4. Connects the N clients (N/R per room), then offers a fixed load (default 100 messages a second across the
   rooms, for 10 s), each message from a member of its room. Every client receives every message in its
   room; latency is send → receipt at each recipient (one clock: the same process sends and receives).
   Prints delivered messages per second, lost (expected minus received, must be 0) and p50/p99 latency.
5. Steps the load up (by half again each step, 5 s a step) until p99 reaches 100 ms, a message is lost or the server
   refuses one — or, if the fixed load was already too much, halves it until it holds — and reports the highest
   load sustained with p99 under 100 ms.
6. Runs 3 to 5 against a bare broadcast server written with the `websockets` library (one process: it has no
   shared layer), with the same clients and load, and prints the ratios.
7. Prints the crisis screening cost per message (p50/p99) over the evaluation set.

    .venv/bin/python bench/chat_fanout.py                      # defaults, about three minutes
    .venv/bin/python bench/chat_fanout.py --clients 100 --seconds 5 --max-rate 400   # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_pages import (  # noqa: E402
    HOST,
    PYTHON,
    bench_env,
    free_port,
    stop_server,
    uvicorn_command,
    wait_until_up,
)
from bench.support import LOCAL_POSTGRES, postgres_addresses, postgres_admin  # noqa: E402

TARGET_P99_MS = 100.0
PG_BENCH_DB = "kindred_chat_bench"
PG_ADMIN, PG_URL = postgres_addresses(LOCAL_POSTGRES, PG_BENCH_DB)


# ---------------------------------------------------------------- the bare broadcast server


def bare_server(port: int) -> None:
    """A minimal chat server: a room per path, every message acknowledged and broadcast to the room."""
    from websockets.asyncio.server import broadcast, serve

    rooms: dict[str, set] = {}

    async def handler(connection) -> None:  # type: ignore[no-untyped-def]
        room = rooms.setdefault(connection.request.path, set())
        room.add(connection)
        try:
            await connection.send(json.dumps({"type": "welcome"}))
            async for raw in connection:
                frame = json.loads(raw)
                message = {
                    "id": str(uuid.uuid4()),
                    "author": "someone",
                    "text": frame["text"],
                    "created_at": time.time(),
                }
                await connection.send(json.dumps({"type": "ack", "client_msg_id": frame["client_msg_id"]}))
                broadcast(room, json.dumps({"type": "message", "message": message}))
        finally:
            room.discard(connection)

    async def main() -> None:
        async with serve(handler, HOST, port, max_size=2**20):
            await asyncio.Future()

    asyncio.run(main())


# ---------------------------------------------------------------- setting up Kindred


def setup_kindred(env: dict[str, str], clients: int, rooms: int) -> tuple[list[str], list[str]]:
    """Migrate, create people, sessions and rooms. Returns (session keys, room ids)."""
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=300,
    )
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from kindred.accounts.models import User
    from kindred.community.models import Room, RoomSchedule
    from kindred.organisations.models import Membership, Organisation, Role

    organisation = Organisation.objects.create(name="Bench Peer Support", slug="bench")
    users = User.objects.bulk_create(
        [
            User(email=f"bench{n}@example.org", display_name=f"Bench {n}", password="!unusable")
            for n in range(clients + 1000)
        ]
    )
    users = list(User.objects.filter(email__startswith="bench").order_by("pk"))
    Membership.objects.bulk_create(
        [Membership(user=user, organisation=organisation, role=Role.MEMBER) for user in users]
    )
    room_ids = []
    for n in range(rooms):
        room = Room.objects.create(
            organisation=organisation,
            name=f"Room {n}",
            slug=f"bench-room-{n}",
            schedule=RoomSchedule.ALWAYS_OPEN,
            messages_per_minute=32767,
        )
        room_ids.append(str(room.public_id))
    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys, room_ids


# ---------------------------------------------------------------- clients


@dataclass
class Client:
    url: str
    headers: dict[str, str]
    room: int
    connection: object = None
    reader: asyncio.Task | None = None


@dataclass
class Phase:
    rate: float
    seconds: float
    sent: int = 0
    refused: int = 0
    expected: int = 0
    received: int = 0
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return self.expected - self.received

    def p(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.refused == 0 and self.p(99) < TARGET_P99_MS


class Load:
    def __init__(self, clients: list[Client]) -> None:
        self.clients = clients
        self.phase: Phase | None = None
        self.room_sizes: dict[int, int] = {}
        for client in clients:
            self.room_sizes[client.room] = self.room_sizes.get(client.room, 0) + 1

    async def connect_all(self, concurrency: int = 25) -> None:
        from websockets.asyncio.client import connect

        gate = asyncio.Semaphore(concurrency)

        async def one(client: Client) -> None:
            async with gate:
                client.connection = await connect(
                    client.url, additional_headers=client.headers, max_size=2**22, open_timeout=60
                )
                first = json.loads(await client.connection.recv())  # type: ignore[attr-defined]
                if first.get("type") != "welcome":
                    raise SystemExit(f"unexpected first frame: {first}")
                client.reader = asyncio.create_task(self.read(client))

        await asyncio.gather(*(one(c) for c in self.clients))

    async def read(self, client: Client) -> None:
        connection = client.connection
        try:
            async for raw in connection:  # type: ignore[attr-defined]
                now = time.perf_counter()
                if '"b|' not in raw:
                    if '"type": "error"' in raw and self.phase is not None:
                        self.phase.refused += 1
                    continue
                frame = json.loads(raw)
                if frame.get("type") != "message" or self.phase is None:
                    continue
                _, phase_id, sent_at = frame["message"]["text"].split("|")
                if phase_id != str(id(self.phase)):
                    continue
                self.phase.received += 1
                self.phase.latencies_ms.append((now - float(sent_at)) * 1000)
        except Exception:
            return

    async def offer(self, rate: float, seconds: float, drain: float = 3.0) -> Phase:
        phase = Phase(rate=rate, seconds=seconds)
        self.phase = phase
        total = int(rate * seconds)
        start = time.perf_counter()
        by_room: dict[int, list[Client]] = {}
        for client in self.clients:
            by_room.setdefault(client.room, []).append(client)
        rooms = sorted(by_room)
        for n in range(total):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            room = rooms[n % len(rooms)]
            members = by_room[room]
            sender = members[(n // len(rooms)) % len(members)]
            text = f"b|{id(phase)}|{time.perf_counter():.6f}"
            try:
                await sender.connection.send(  # type: ignore[attr-defined]
                    json.dumps({"type": "message", "client_msg_id": uuid.uuid4().hex, "text": text})
                )
            except Exception:
                phase.refused += 1
                continue
            phase.sent += 1
            phase.expected += self.room_sizes[room]
        deadline = time.perf_counter() + drain + seconds  # generous: a backlog must finish to count as delivered
        while phase.received < phase.expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        self.phase = None
        return phase

    async def close_all(self) -> None:
        for client in self.clients:
            if client.reader is not None:
                client.reader.cancel()
            if client.connection is not None:
                with contextlib.suppress(Exception):
                    await client.connection.close()  # type: ignore[attr-defined]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def idle_memory(clients: list[Client], pids: list[int]) -> float:
    """Extra server memory (MiB) for these idle clients, scaled to 1,000."""
    before = sum(rss_kib(pid) for pid in pids)
    load = Load(clients)
    await load.connect_all()
    await asyncio.sleep(2)
    after = sum(rss_kib(pid) for pid in pids)
    await load.close_all()
    await asyncio.sleep(1)
    return (after - before) / 1024 * 1000 / len(clients)


async def run_suite(name: str, make_clients, pids: list[int], args: argparse.Namespace) -> dict[str, object]:  # type: ignore[no-untyped-def]
    print(f"\n== {name}", flush=True)
    memory = await idle_memory(make_clients(1000, idle=True), pids)
    print(f"memory per 1,000 idle clients: {memory:.1f} MiB", flush=True)
    load = Load(make_clients(args.clients, idle=False))
    started = time.perf_counter()
    await load.connect_all()
    print(f"{args.clients} clients connected in {time.perf_counter() - started:.1f} s", flush=True)
    await load.offer(min(20.0, args.rate), 2.0)  # warm-up
    fixed = await load.offer(args.rate, args.seconds)
    report(fixed)
    best = fixed.rate if fixed.ok else 0.0
    rate = args.rate / 2
    while not best and rate >= args.rate / 16:  # the fixed load was too much: find what it does sustain
        await asyncio.sleep(args.step_seconds)  # let the backlog clear first
        step = await load.offer(rate, args.step_seconds)
        report(step)
        if step.ok:
            best = rate
        rate /= 2
    rate = args.rate * 1.5 if fixed.ok else float("inf")
    while rate <= args.max_rate:
        step = await load.offer(rate, args.step_seconds)
        report(step)
        if not step.ok:
            break
        best = rate
        rate *= 1.5
    await load.close_all()
    print(f"highest load with p99 < {TARGET_P99_MS:.0f} ms and nothing lost: {best:.0f} msg/s", flush=True)
    return {"fixed": fixed, "best": best, "memory": memory}


def report(phase: Phase) -> None:
    print(
        f"  offered {phase.rate:>6.0f} msg/s for {phase.seconds:.0f} s: sent {phase.sent}, refused {phase.refused}, "
        f"delivered {phase.received / phase.seconds:>8.0f}/s ({phase.received}/{phase.expected}), "
        f"lost {phase.lost}, p50 {phase.p(50):.1f} ms, p99 {phase.p(99):.1f} ms",
        flush=True,
    )


def start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listening on {HOST}:{port}")


def screening_cost() -> tuple[float, float]:
    from bench.screening_eval import cost, load
    from kindred.safety.screening import screen

    p50, p99, _ = cost(load(), screen, repeats=20)
    return p50, p99


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rooms", type=int, default=10)
    parser.add_argument("--rate", type=float, default=100.0, help="the fixed offered load, messages a second")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the fixed-load run")
    parser.add_argument("--step-seconds", type=float, default=5.0)
    parser.add_argument("--max-rate", type=float, default=1600.0, help="stop stepping up beyond this")
    parser.add_argument(
        "--database",
        choices=["postgres", "sqlite"],
        default="postgres",
        help=f"postgres: a throwaway {PG_BENCH_DB} database on 127.0.0.1:5432 (default); sqlite: a temporary file",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--bare-server", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.bare_server:
        bare_server(args.bare_server)
        return 0
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    data_dir = Path(tempfile.mkdtemp(prefix="kindred-chat-bench-"))
    if args.database == "postgres":
        postgres_admin(PG_ADMIN, f"DROP DATABASE IF EXISTS {PG_BENCH_DB}", f"CREATE DATABASE {PG_BENCH_DB}")
    env = bench_env(data_dir, PG_URL if args.database == "postgres" else "")
    env.update(REDIS_URL=args.redis_url, DJANGO_SETTINGS_MODULE="bench.chat_fanout_settings")
    processes: list[subprocess.Popen[bytes]] = []
    results: dict[str, dict[str, object]] = {}
    try:
        print("Setting up people, sessions and rooms…", flush=True)
        keys, room_ids = setup_kindred(env, args.clients, args.rooms)
        ports = [free_port(), free_port()]
        for port in ports:
            processes.append(start(uvicorn_command(port, "--ws", "websockets-sansio"), env))
        for port, process in zip(ports, processes, strict=True):
            wait_until_up(port, process)

        def kindred_clients(count: int, *, idle: bool) -> list[Client]:
            offset = args.clients if idle else 0  # idle clients use their own people
            clients = []
            for n in range(count):
                port = ports[n % 2]
                room = n % args.rooms
                clients.append(
                    Client(
                        url=f"ws://{HOST}:{port}/ws/rooms/{room_ids[room]}/",
                        headers={"Cookie": f"sessionid={keys[offset + n]}", "Origin": f"http://{HOST}:{port}"},
                        room=room,
                    )
                )
            return clients

        results["kindred"] = asyncio.run(
            run_suite("Kindred: channels-redis, 2 uvicorn processes", kindred_clients, [p.pid for p in processes], args)
        )
        for process in processes:
            stop_server(process)
        processes.clear()

        bare_port = free_port()
        bare = start([PYTHON, str(Path(__file__)), "--bare-server", str(bare_port)], env)
        processes.append(bare)
        wait_for_port(bare_port)

        def bare_clients(count: int, *, idle: bool) -> list[Client]:
            return [
                Client(url=f"ws://{HOST}:{bare_port}/room/{n % args.rooms}", headers={}, room=n % args.rooms)
                for n in range(count)
            ]

        results["bare"] = asyncio.run(
            run_suite("Bare websockets broadcast server, 1 process", bare_clients, [bare.pid], args)
        )
    finally:
        for process in processes:
            stop_server(process)
        shutil.rmtree(data_dir, ignore_errors=True)
        if args.database == "postgres":
            from django.db import connections

            connections.close_all()
            with contextlib.suppress(Exception):
                postgres_admin(PG_ADMIN, f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        with contextlib.suppress(Exception):
            redis.Redis.from_url(args.redis_url).flushdb()

    kindred, bare_result = results["kindred"], results["bare"]
    kf, bf = kindred["fixed"], bare_result["fixed"]
    assert isinstance(kf, Phase) and isinstance(bf, Phase)
    print("\n== Summary (Kindred / bare)")
    print(
        f"clients {args.clients} in {args.rooms} rooms, {args.database}; "
        f"fixed load {args.rate:.0f} msg/s for {args.seconds:.0f} s"
    )
    print(f"delivered/s      {kf.received / kf.seconds:>9.0f} / {bf.received / bf.seconds:<9.0f}")
    print(f"lost             {kf.lost:>9} / {bf.lost}")
    print(f"p50 latency ms   {kf.p(50):>9.1f} / {bf.p(50):<9.1f} ratio {kf.p(50) / bf.p(50):.1f}x")
    print(f"p99 latency ms   {kf.p(99):>9.1f} / {bf.p(99):<9.1f} ratio {kf.p(99) / bf.p(99):.1f}x")
    best_ratio = (kindred["best"] / bare_result["best"]) if bare_result["best"] else float("nan")  # type: ignore[operator]
    print(f"max msg/s p99<100ms {kindred['best']:>6.0f} / {bare_result['best']:<6.0f} ratio {best_ratio:.2f}")
    print(f"MiB per 1,000 idle {kindred['memory']:>7.1f} / {bare_result['memory']:.1f}")
    p50, p99 = screening_cost()
    print(f"screening cost per message: p50 {p50:.0f} µs, p99 {p99:.0f} µs (target p99 < 1000 µs)")
    lost = kf.lost + bf.lost
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
