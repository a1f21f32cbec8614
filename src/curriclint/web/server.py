"""One run of ``curriclint serve``: a socket on this computer, the app served by waitress (a
multi-threaded production WSGI server in pure Python, so it runs the same on Windows), a
fresh secret token in the URL, and the private upload folder removed when the server stops,
whether by Ctrl+C, a closed terminal or a kill (and again at exit)."""
from __future__ import annotations

import secrets
import signal
import socket
import threading

from waitress import create_server

from curriclint.web.app import MULTIPART_ALLOWANCE, create_app
from curriclint.web.checker import Checker
from curriclint.web.gate import HostCheck
from curriclint.web.uploads import Limits, UploadFolder

# A body this much over the limit is refused by waitress before it is read (with its own
# terse message); smaller ones reach the app, which explains the limit in the page.
_BODY_HEADROOM = 2


class LocalServer:
    def __init__(self, checker: Checker, host: str, port: int, limits: Limits, keep: int = 20):
        self.token = secrets.token_urlsafe(32)
        listening = _bind(host, port)
        self.host, self.port = host, listening.getsockname()[1]
        self.uploads = UploadFolder()
        app = create_app(checker, self.uploads, self.token, HostCheck(host, self.port), limits, keep)
        self._server = create_server(
            app, sockets=[listening], ident="curriclint",
            max_request_body_size=_BODY_HEADROOM * (limits.max_bytes + MULTIPART_ALLOWANCE))

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        if ":" in shown:
            shown = f"[{shown}]"
        return f"http://{shown}:{self.port}/{self.token}/"

    def run(self) -> None:
        """Serve until stopped, then remove every uploaded file."""
        if threading.current_thread() is threading.main_thread():
            for name in ("SIGINT", "SIGTERM", "SIGHUP"):
                if hasattr(signal, name):
                    signal.signal(getattr(signal, name), self._on_signal)
        try:
            self._server.run()  # after _on_signal or stop(), waitress closes itself and returns
        finally:
            self.uploads.remove()

    def _on_signal(self, _signum, _frame) -> None:
        """Ctrl+C, a closed terminal or a kill: let the requests being answered finish, then
        leave waitress's loop (it closes itself on SystemExit)."""
        self._server.task_dispatcher.shutdown()
        raise SystemExit(0)

    def stop(self) -> None:
        """End ``run`` from another thread. The requests being answered finish first (waitress's
        workers wake its loop when they are done, and must not find it closed); then the loop
        closes its sockets itself and ends when the open connections have closed."""
        self._server.task_dispatcher.shutdown()
        self._server.trigger.pull_trigger(self._server.close)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM)[0][0]
    return socket.create_server((host, port), family=family)
