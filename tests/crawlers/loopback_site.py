"""A small HTTP server on a loopback address for crawl tests: routes of canned replies,
every request counted and recorded as sent.

    with LoopbackSite(host="127.0.0.2") as site:
        site.routes["/feed.xml"] = Reply(200, b"<rss …>", {"Content-Type": RSS})
        ...                              # crawl site.url("/feed.xml"), then read site.requests
"""

from __future__ import annotations

import collections
import html
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Route = Reply | Callable[[BaseHTTPRequestHandler, int], Reply]


def simple_page(title: str, text: str) -> bytes:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title></head>\n<body><h1>{html.escape(title)}</h1>"
            f"<p>{html.escape(text)}</p></body></html>\n").encode("utf-8")


def error_reply(status: int, title: str) -> Reply:
    return Reply(status, simple_page(title, f"HTTP {status}: {title}."), {"Content-Type": HTML})


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, b"", {"Location": location})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), handler)


class LoopbackSite:
    """Serve `routes` (path -> Reply, or a function of the request and its count) on a
    loopback address from a background thread.

    host (str): "127.0.0.1", another 127.x address, or "::1".
    port (int): 0 picks a free port.
    hits (Counter): path (query string dropped) -> GET requests received.
    requests (list[str]): each request target exactly as sent (path and query).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.hits: collections.Counter[str] = collections.Counter()
        self.requests: list[str] = []
        self.routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.httpd = _Server(host, port, self._handler_class())
        netloc = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{netloc}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True,
                                       name=f"loopback-site-{host}")

    def start(self) -> "LoopbackSite":
        self.thread.start()
        return self

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopping.set()          # wakes any route sleeping on it
        if self.thread.is_alive():
            self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base_url + path

    def _count(self, target: str) -> int:
        path = target.split("?", 1)[0]
        with self._lock:
            self.requests.append(target)
            self.hits[path] += 1
            return self.hits[path]

    def reply(self, request: BaseHTTPRequestHandler) -> Reply:
        """The reply to a GET: its route's, or a 404."""
        count = self._count(request.path)
        route = self.routes.get(request.path.split("?", 1)[0])
        if route is None:
            return error_reply(404, "Not Found")
        return route if isinstance(route, Reply) else route(request, count)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                reply = site.reply(self)
                try:
                    self._send(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler gave up first (slow feed, size limits): that is the test

            def _send(self, reply: Reply) -> None:
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.status in (204, 304):
                    self.end_headers()
                    return
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the tests read the site's counters and the crawler's own fetch log

        return Handler
