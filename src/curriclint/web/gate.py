"""The door of the local server, in front of the app: any web page open in the same browser
can send requests to 127.0.0.1, so a request is answered only if

- its path starts with this server's secret token (printed once at start; other pages do not
  know it), compared in constant time;
- its Host header names this server (a page on evil.example that re-points its own name to
  127.0.0.1, "DNS rebinding", sends ``Host: evil.example``);
- a POST comes from this server's own pages (its Origin header, when sent, is ours).

The token is then moved from the path into SCRIPT_NAME, so the app's routes and ``url_for``
work as if mounted there. Every response, refusals included, gets the security headers.
"""
from __future__ import annotations

import ipaddress
import secrets
import socket
from urllib.parse import urlsplit

PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
               "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
               "frame-ancestors 'none'")
ALWAYS = (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
          ("Cache-Control", "no-store"), ("Cross-Origin-Resource-Policy", "same-origin"))
_WILDCARDS = {"", "0.0.0.0", "::"}


def _ip(name: str):
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    address = _ip(host)
    return host.lower() == "localhost" or (address is not None and address.is_loopback)


class HostCheck:
    """Which Host headers name a server bound to ``host``:``port``."""

    def __init__(self, host: str, port: int):
        self.port = port
        self.wildcard = host in _WILDCARDS
        self.names = {host.lower().strip("[]"), "localhost"}
        if self.wildcard:
            self.names |= {socket.gethostname().lower(), socket.getfqdn().lower()}

    def __call__(self, header: str) -> bool:
        try:
            parts = urlsplit("//" + header)
            name, port = (parts.hostname or ""), (parts.port or 80)
        except ValueError:
            return False
        if port != self.port or parts.username is not None or parts.password is not None:
            return False
        # Bound to every interface, any address literal is fine: rebinding needs a name.
        return name in self.names or (self.wildcard and _ip(name) is not None)


class Gate:
    def __init__(self, app, token: str, host_check: HostCheck):
        self.app, self.token, self.host_check = app, token, host_check

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST", "")
        if not self.host_check(host):
            return _refuse(start_response, "This server answers only at the address "
                                           "curriclint serve printed.")
        first, slash, rest = environ.get("PATH_INFO", "").lstrip("/").partition("/")
        if not secrets.compare_digest(first.encode("latin-1", "replace"), self.token.encode()):
            return _refuse(start_response, "Open this page with the full link curriclint serve "
                                           "printed: it holds a secret that this request lacks.")
        origin = environ.get("HTTP_ORIGIN")
        if environ.get("REQUEST_METHOD") == "POST" and origin is not None and origin != f"http://{host}":
            return _refuse(start_response, "Files can be sent only from curriclint's own page.")
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "").rstrip("/") + "/" + first
        environ["PATH_INFO"] = "/" + rest if slash else "/"
        return self.app(environ, _with_headers(start_response))


def _with_headers(start_response):
    def start(status, headers, exc_info=None):
        replaced = {name.lower() for name, _ in ALWAYS}
        headers = [(k, v) for k, v in headers if k.lower() not in replaced] + list(ALWAYS)
        if not any(k.lower() == "content-security-policy" for k, _ in headers):
            headers.append(("Content-Security-Policy", PAGE_POLICY))
        return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)
    return start


def _refuse(start_response, message: str):
    body = (message + "\n").encode("utf-8")
    _with_headers(start_response)("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8"),
                                                    ("Content-Length", str(len(body)))])
    return [body]
