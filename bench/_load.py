"""HTTP load generators for the benchmarks, run in processes other than the server's.

`wrk` (Debian package) is used when installed: written in C, it leaves the two cores of a
small machine to the server. Otherwise a Python generator with keep-alive connections in
several processes does the same job, with less precise figures at high rates."""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from urllib.parse import urlsplit


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    median_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_load(url: str, *, seconds: float, connections: int, client: str = "auto") -> LoadResult:
    """GET `url` from `connections` concurrent connections for `seconds`."""
    if client == "wrk" or (client == "auto" and shutil.which("wrk")):
        return _run_wrk(url, seconds=seconds, connections=connections)
    return _run_python(url, seconds=seconds, connections=connections)


# --- wrk ------------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _duration_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS_MS[unit]


def _run_wrk(url: str, *, seconds: float, connections: int) -> LoadResult:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", "--timeout", "10s"]
    command += [f"-d{max(1, round(seconds))}s", "--latency"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    requests, duration = re.search(r"(\d+) requests in ([\d.]+\w+),", output).groups()
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:  # "connect 0, read 0, write 0, timeout 0"
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return LoadResult(
        requests=int(requests),
        seconds=_duration_ms(duration) / 1000,
        median_ms=_duration_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        p99_ms=_duration_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        errors=errors,
    )


# --- Python ---------------------------------------------------------------------------------

THREADS_PER_PROCESS = 4


def _run_python(url: str, *, seconds: float, connections: int) -> LoadResult:
    processes = max(1, connections // THREADS_PER_PROCESS)
    threads = [THREADS_PER_PROCESS] * processes
    threads[-1] += connections - sum(threads)
    with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
        parts = list(pool.map(_load_process, [url] * processes, [seconds] * processes, threads))
    latencies = sorted(latency for part_latencies, _ in parts for latency in part_latencies)
    return LoadResult(
        requests=len(latencies),
        seconds=seconds,
        median_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p99_ms=latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0,
        errors=sum(errors for _, errors in parts),
    )


def _load_process(url: str, seconds: float, threads: int) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")

    def worker() -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while (started := time.perf_counter()) < deadline:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)  # list.append is thread-safe
            if response.status != 200:
                errors[0] += 1
        connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return latencies, errors[0]
