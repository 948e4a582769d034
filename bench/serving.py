"""Serving the project for real: gunicorn and the task workers in process groups of their own, a
request on a fresh connection, and percentiles. Shared by bench/load.py, bench/scale.py and the
multi-process test (tests/deployment/), which loads this file by its path.

Nothing here imports Django: the processes started read their settings from the environment given.
"""

import contextlib
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
#: gunicorn's settings in production (timeouts, worker recycling, the garbage collector's freeze)
PRODUCTION_CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, target: Mapping[str, str], timeout: float = 60) -> tuple[int, float, int]:
    """One GET on a fresh connection (gunicorn's sync workers close each): status, ms, bytes.

    `target` holds the path and the headers that sign its client in; status 0 is a refused or
    dropped connection."""
    headers = {key: value for key, value in target.items() if key != "path"} | {"Host": "127.0.0.1"}
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", target["path"], headers=headers)
        response = connection.getresponse()
        size = len(response.read())
        status = response.status
    except OSError:
        status, size = 0, 0
    finally:
        connection.close()
    return status, (time.perf_counter() - start) * 1000, size


def p95(durations: list[float]) -> float:
    return (
        statistics.quantiles(durations, n=20, method="inclusive")[-1] if len(durations) > 1 else durations[0]
    )


class Group:
    """A command in a process group of its own; stop() ends it and everything it started."""

    def __init__(self, command: list[str], env: Mapping[str, str] | None = None, output: IO | None = None):
        self.command = command
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(os.environ if env is None else env),
            stdout=output,
            stderr=subprocess.STDOUT if output is not None else None,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self, grace: float = 15) -> None:
        """SIGTERM to the leader (gunicorn's master stops its workers gracefully, a task worker
        finishes its task), then SIGKILL to the whole group if it is still there after `grace`."""
        stop_all([self], grace)


def stop_all(groups: list[Group], grace: float = 15) -> None:
    """Stop every group as Group.stop does, all at once: `grace` is shared, not spent on each."""
    for group in groups:
        if group.process.poll() is None:
            group.process.terminate()
    deadline = time.monotonic() + grace
    for group in groups:
        with contextlib.suppress(subprocess.TimeoutExpired):
            group.process.wait(timeout=max(0, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):  # whatever the leader left behind
            os.killpg(group.process.pid, signal.SIGKILL)
        group.process.wait()


class Server(Group):
    """gunicorn with `workers` sync workers on 127.0.0.1:`port`, serving secretariat.wsgi."""

    def __init__(
        self,
        port: int,
        workers: int,
        env: Mapping[str, str] | None = None,
        output: IO | None = None,
        pythonpath: Path | None = ROOT / "bench",
        log_level: str = "warning",
        config: Path | None = None,
    ) -> None:
        command = [str(GUNICORN), "secretariat.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        if config is not None:  # e.g. PRODUCTION_CONFIG; the options below override its own
            command += ["--config", str(config)]
        command += ["--workers", str(workers), "--chdir", str(ROOT), "--log-level", log_level]
        if pythonpath is not None:  # where the settings module named by DJANGO_SETTINGS_MODULE is
            command += ["--pythonpath", str(pythonpath)]
        self.port = port
        super().__init__(command, env, output)

    def wait_ready(self, timeout: float = 60, path: str = "/portal/login/") -> None:
        """Until `path` answers 200 (gunicorn listens before its workers have loaded the project)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            if get(self.port, {"path": path}, timeout=10)[0] == 200:
                return
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer 200 on {path} within {timeout:.0f} s")
