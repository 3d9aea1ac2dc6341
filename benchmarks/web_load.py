"""Load for the web benchmark: servers, a sequential client, wrk with a Lua script, CPU shares."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WRK_LUA = r"""
local paths = {%(paths)s}
local cookies = {%(cookies)s}
local made = 0
local threads = {}

function setup(thread)
  made = made + 1
  thread:set("offset", made)
  if #cookies > 0 then thread:set("cookie", cookies[((made - 1) %% #cookies) + 1]) end
  table.insert(threads, thread)
end

function init(args)
  i = offset
  bad = 0
  if cookie then wrk.headers["Cookie"] = cookie end
end

function request()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, t in ipairs(threads) do wrong = wrong + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "max_us": %%d, "not_200": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, wrong, e.connect, e.read, e.write, e.timeout))
end
"""


@dataclass
class Figures:
    """Latency and throughput of one scenario under one load."""

    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rps: float
    errors: int
    load_cpu: float = 0.0  # CPU share of the load generator (of one core)
    server_cpu: float = 0.0  # CPU share of the server processes (of one core)
    machine_busy: float = 0.0  # share of all cores busy, everyone included
    database_cpu: float = 0.0  # CPU share of the PostgreSQL cluster on this machine (of one core)
    # The clients' connections held by each server process midway through the run, most
    # first: kept-alive connections stay with the worker that took them, and one worker can
    # take nearly all (docs/benchmarks.md §4, eighth round).
    split: list[int] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        return asdict(self)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(port: int, path: str, seconds: float = 120) -> None:
    """Poll until the server answers ``path`` (any status)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"server on port {port} did not come up in {seconds:.0f} s")


class Server:
    """A server process group started for one phase, stopped (by its own id) afterwards."""

    def __init__(self, argv: Sequence[str], env: dict[str, str], port: int, probe: str) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="web-bench-server-", suffix=".log")  # noqa: SIM115
        self.proc = subprocess.Popen(  # noqa: S603
            list(argv), env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.port = port
        try:
            wait_until_up(port, probe)
        except RuntimeError:
            tail = self.tail()  # before stop() closes (and so deletes) the log
            self.stop()
            raise RuntimeError(tail) from None

    def tail(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-3000:]

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by the server and its workers."""
        return tree_cpu(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def process_cpu_seconds(pid: int) -> float | None:
    """CPU seconds of one process of this machine (a PostgreSQL backend), or None when it cannot
    be read (a server on another machine, or gone): the scheduler's count in nanoseconds, else
    utime + stime from ``/proc/PID/stat`` (10 ms ticks: too coarse for one request)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def tree_cpu(root: int) -> float:
    """User + system CPU seconds of ``root`` and its live descendants."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0.0)
        todo.extend(p for p, parent in parents.items() if parent == pid)
    return total


# The port of the PostgreSQL cluster on this machine whose CPU the runs read (set by the bench;
# None: SQLite, nothing to read).
DATABASE_PORT: int | None = None


def database_cpu_seconds() -> float:
    """CPU seconds used so far by the PostgreSQL cluster listening on ``DATABASE_PORT``: its
    postmaster, the server processes that ended (the postmaster's reaped children) and those
    still running (one per connection). 0 when there is none on this machine."""
    if DATABASE_PORT is None:
        return 0.0
    wanted = f"-p\0{DATABASE_PORT}\0"
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_text(errors="replace")
            if not command.split("\0", 1)[0].endswith("/postgres") or wanted not in command:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        reaped = (int(fields[13]) + int(fields[14])) / CLOCK_TICKS
        return reaped + tree_cpu(int(entry.name))
    return 0.0


def machine_busy() -> tuple[int, int]:
    """Busy and total jiffies of all cores so far (from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def drain(server: Server, limit: float = 300) -> None:
    """Wait until the server has finished requests left queued by a previous load (idle CPU)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = server.cpu_seconds()
        time.sleep(1)
        if server.cpu_seconds() - before < 0.05:
            return


def _percentile(sorted_values: list[float], share: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


def sequential(
    port: int,
    paths: Sequence[str],
    requests: int,
    cookie: str | None,
    server: Server,
    max_seconds: float = 120,
) -> Figures:
    """One client, one keep-alive connection, ``requests`` GETs in turn over ``paths``.

    Stops early after ``max_seconds`` (at 20 s a page, 200 requests would take an hour); the
    figures then say how many requests were made.
    """
    headers = {"Cookie": cookie} if cookie else {}
    drain(server)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    for path in paths[:2]:  # warm the workers and the page cache
        conn.request("GET", path, headers=headers)
        conn.getresponse().read()
    latencies: list[float] = []
    errors = 0
    db0 = database_cpu_seconds()
    cpu0, busy0, started = server.cpu_seconds(), machine_busy(), time.perf_counter()
    for n in range(requests):
        if time.perf_counter() - started > max_seconds:
            break
        path = paths[n % len(paths)]
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
        latencies.append(time.perf_counter() - start)
        errors += not ok
    wall = time.perf_counter() - started
    busy1 = machine_busy()
    db1 = database_cpu_seconds()
    conn.close()
    latencies.sort()
    return Figures(
        requests=len(latencies),
        p50_ms=statistics.median(latencies) * 1000,
        p95_ms=_percentile(latencies, 0.95) * 1000,
        p99_ms=_percentile(latencies, 0.99) * 1000,
        rps=len(latencies) / wall,
        errors=errors,
        server_cpu=(server.cpu_seconds() - cpu0) / wall,
        machine_busy=(busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]),
        database_cpu=(db1 - db0) / wall,
    )


def connections_by_process(port: int) -> list[int]:
    """How many established connections to ``port`` each process holds, most first (``ss``);
    connections still in the kernel's queue, accepted by no process, are left out."""
    try:
        listed = subprocess.run(  # noqa: S603
            ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],  # noqa: S607
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return []
    held = Counter(line.split("pid=", 1)[1].split(",", 1)[0] for line in listed.splitlines()
                   if "pid=" in line)  # fmt: skip
    return sorted(held.values(), reverse=True)


def _explain_errors(raw: dict[str, int], server: Server, clients: int) -> None:
    """Say which kind of error a run had, and what the server logged (its log is deleted
    when the phase ends): an error count alone cannot be chased."""
    kinds = ", ".join(f"{k} {raw[k]}" for k in ("not_200", "connect", "read", "write", "timeout"))
    logged = [
        line
        for line in Path(server.log.name).read_text(errors="replace").splitlines()
        if any(word in line for word in ("ERROR", "Error", "Traceback", "WARNING", "error id"))
    ]
    print(f"web_load: errors under {clients} clients: {kinds}", file=sys.stderr)
    for line in logged[-20:]:
        print(f"  server: {line}", file=sys.stderr)


def _lua_list(values: Sequence[str]) -> str:
    return ", ".join(json.dumps(v) for v in values)


def concurrent(
    port: int,
    paths: Sequence[str],
    cookies: Sequence[str],
    server: Server,
    clients: int = 16,
    seconds: int = 20,
) -> Figures:
    """``clients`` connections from wrk (one thread and one session each) for ``seconds``."""
    drain(server)
    script = WRK_LUA % {"paths": _lua_list(paths), "cookies": _lua_list(cookies)}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        argv = [
            "wrk", "--latency", "-t", str(clients), "-c", str(clients), "-d", f"{seconds}s",
            "--timeout", "30s", "-s", lua.name, f"http://127.0.0.1:{port}",
        ]  # fmt: skip
        before = os.times()
        cpu0, busy0, db0 = server.cpu_seconds(), machine_busy(), database_cpu_seconds()
        wrk = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
        time.sleep(min(2.0, seconds / 2))
        split = connections_by_process(port)
        stdout, stderr = wrk.communicate()
        if wrk.returncode:
            raise subprocess.CalledProcessError(wrk.returncode, argv, stdout, stderr)
        after = os.times()
        busy1 = machine_busy()
        cpu1, db1 = server.cpu_seconds(), database_cpu_seconds()
    line = next(x for x in stdout.splitlines() if x.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    wall = raw["duration_us"] / 1e6
    load = (after.children_user + after.children_system) - (
        before.children_user + before.children_system
    )
    errors = raw["not_200"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    if errors:
        _explain_errors(raw, server, clients)
    return Figures(
        requests=raw["requests"],
        p50_ms=raw["p50_us"] / 1000,
        p95_ms=raw["p95_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        rps=raw["requests"] / wall,
        errors=errors,
        load_cpu=load / wall,
        server_cpu=(cpu1 - cpu0) / wall,
        machine_busy=(busy1[0] - busy0[0]) / max(1, busy1[1] - busy0[1]),
        split=split,
        database_cpu=(db1 - db0) / wall,
    )
