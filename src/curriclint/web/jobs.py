"""Checks running in the background and their results, kept in memory only.

An upload returns as soon as its files are stored; the check then runs in a thread of its
own while the page polls its state. A finished job holds its reports and annotated copies as
bytes under a random id (nothing of them is written to disk), and only the newest ``keep``
jobs are kept, so a server left open for a term does not grow without bound.
"""
from __future__ import annotations

import secrets
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

READING, DONE, FAILED = "reading", "done", "failed"


@dataclass(frozen=True)
class Download:
    filename: str
    mimetype: str
    data: bytes


@dataclass
class Outcome:
    """What a finished check leaves for the page: its counts and its files to download."""

    summary: dict
    downloads: dict[str, Download]  # by key: "html", "csv", "json", "copies", "copy-1", …
    copies: list[str] = field(default_factory=list)  # keys of the annotated copies, in order
    copy_notes: list[tuple[str, str]] = field(default_factory=list)  # (file, why it has no copy)


@dataclass
class Job:
    id: str
    files: int
    read: int = 0  # files read and linted so far
    state: str = READING
    message: str = ""
    outcome: Outcome | None = None

    def progress(self, read: int) -> None:
        self.read = read


class Jobs:
    def __init__(self, keep: int = 20):
        self.keep = keep
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, files: int, work: Callable[[Job], Outcome]) -> Job:
        """Run ``work(job)`` in a background thread as a new job (dropping the oldest if full)."""
        job = Job(secrets.token_urlsafe(16), files)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.keep:
                self._jobs.popitem(last=False)
        threading.Thread(target=_run, args=(job, work), name=f"check-{job.id[:6]}", daemon=True).start()
        return job


def _run(job: Job, work: Callable[[Job], Outcome]) -> None:
    try:
        job.outcome = work(job)
        job.state = DONE
    except Exception as exc:  # noqa: BLE001 - a bug must end this job, not the server
        reason = str(exc).splitlines()[0][:200] if str(exc) else ""
        job.message = (f"curriclint could not finish this check ({type(exc).__name__}"
                       f"{': ' + reason if reason else ''}). Please report it with the files.")
        print(f"curriclint: error: check {job.id[:6]} failed: {type(exc).__name__}: {reason}",
              file=sys.stderr)
        job.state = FAILED
