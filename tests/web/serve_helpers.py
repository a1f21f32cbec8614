"""Real `curriclint serve` servers for the tests: in a background thread with a small HTTP
client (real requests over a socket, with whatever Host or Origin a test chooses), or as the
command a user starts, in a subprocess."""
from __future__ import annotations

import http.client
import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from curriclint.web.server import LocalServer
from curriclint.web.uploads import Limits

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEFAULT_LIMITS = Limits(max_bytes=200 * 2**20, max_files=500)
START_TIMEOUT = 120  # seconds for `curriclint serve` to print its link


@contextmanager
def running(checker, limits: Limits = DEFAULT_LIMITS, keep: int = 20):
    server = LocalServer(checker, "127.0.0.1", 0, limits, keep)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield Client(server)
    finally:
        server.stop()
        thread.join(10)


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


class Client:
    def __init__(self, server: LocalServer):
        self.server = server
        self.host = f"127.0.0.1:{server.port}"
        self.prefix = f"/{server.token}"

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, token: bool = True) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            sent = {"Host": self.host, **(headers or {})}
            connection.request(method, (self.prefix if token else "") + path, body=body, headers=sent)
            reply = connection.getresponse()
            return Response(reply.status, reply.headers, reply.read())
        finally:
            connection.close()

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def upload(self, files: list[tuple[str, bytes]], headers: dict | None = None) -> Response:
        fields = MultiDict([("files", FileStorage(io.BytesIO(data), filename=name)) for name, data in files])
        boundary, body = encode_multipart(fields)
        return self.request("POST", "/jobs", body=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})})

    def wait(self, status_url: str, timeout: float = 120) -> dict:
        """Poll a job until it is no longer reading; return its last status."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.request("GET", status_url, token=False).json()
            if status["state"] != "reading":
                return status
            time.sleep(0.2)
        raise TimeoutError(f"job {status_url} still reading after {timeout} s")

    def check(self, files: list[tuple[str, bytes]]) -> tuple[dict, dict]:
        """Upload, wait for the check, and return (final status, the JSON report)."""
        reply = self.upload(files)
        assert reply.status == 202, reply.text
        status = self.wait(reply.json()["status"])
        assert status["state"] == "done", status
        report = self.request("GET", status["report"] + "download/json", token=False)
        assert report.status == 200, report.text
        return status, report.json()


def example(name: str) -> tuple[str, bytes]:
    return name, (EXAMPLES / name).read_bytes()


def zip_of(members: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    """A zip with these members, and symbolic links (name -> target) as a Unix zip stores them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, target)
    return buffer.getvalue()


def examples_zip() -> bytes:
    return zip_of({f"examples/{p.name}": p.read_bytes() for p in sorted(EXAMPLES.iterdir()) if p.is_file()})



class Serving:
    """A running `curriclint serve --no-browser`: its link, and the lines it printed."""

    def __init__(self, process: subprocess.Popen, tmpdir: Path):
        self.process, self.tmpdir = process, tmpdir
        self.lines: queue.Queue[str] = queue.Queue()
        for stream in (process.stdout, process.stderr):
            threading.Thread(target=self._pump, args=(stream,), daemon=True).start()
        self.printed: list[str] = []
        self.url = self._wait_for_link()

    def _pump(self, stream) -> None:
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def _wait_for_link(self) -> str:
        while True:
            try:
                line = self.lines.get(timeout=START_TIMEOUT)
            except queue.Empty:
                pytest.fail(f"curriclint serve printed no link in {START_TIMEOUT} s: {self.printed}")
            self.printed.append(line)
            if "http://" in line:
                return line[line.index("http://"):].split()[0]

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(30)


@contextmanager
def serving(tmp_path: Path, *options: str):
    """Start the CLI with its own TMPDIR, so what it leaves there can be seen."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    env = {**os.environ, "TMPDIR": str(tmpdir), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "curriclint", "serve", "--no-browser", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        yield Serving(process, tmpdir)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
