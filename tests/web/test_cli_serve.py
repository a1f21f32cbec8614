"""`curriclint serve` as a user starts it: a subprocess that prints its link, answers it, and
leaves no uploaded file behind when it is stopped."""
from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from serve_helpers import serving

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="stops the server with SIGTERM")


def _status(url: str, headers: dict | None = None) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as reply:
            return reply.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_prints_a_link_answers_it_and_cleans_up(tmp_path):
    with serving(tmp_path) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert [p.name[:17] for p in server.tmpdir.iterdir()] == ["curriclint-serve-"]
        assert _status(server.url) == 200
        without_token = server.url.rsplit("/", 2)[0] + "/"
        assert _status(without_token) == 403
        assert server.stop() == 0
        assert list(server.tmpdir.iterdir()) == []
        assert not any("warning" in line for line in server.printed)


def test_serve_on_every_interface_warns(tmp_path):
    with serving(tmp_path, "--host", "0.0.0.0") as server:
        port = server.url.split(":")[2].split("/")[0]
        assert any(line.startswith("curriclint: warning: listening on 0.0.0.0") for line in server.printed)
        assert _status(server.url) == 200
        assert _status(server.url, {"Host": f"evil.example:{port}"}) == 403
        assert server.stop() == 0


def test_serve_without_flask_says_how_to_install_it():
    # A None entry in sys.modules is how Python marks a module as absent.
    code = "import sys; sys.modules['flask'] = None; from curriclint.cli import main; main(['serve'])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == ("curriclint: error: curriclint serve needs Flask and waitress: "
                                     "pip install 'curriclint[web]'")


def test_serve_on_a_busy_port_is_one_line(tmp_path):
    with serving(tmp_path) as server:
        port = server.url.split(":")[2].split("/")[0]
        result = subprocess.run([sys.executable, "-m", "curriclint", "serve", "--no-browser", "--port", port],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        assert result.stderr.startswith(f"curriclint: error: cannot listen on 127.0.0.1:{port}")
        assert len(result.stderr.strip().splitlines()) == 1
        server.stop()
