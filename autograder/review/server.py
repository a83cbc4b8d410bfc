"""The review page's server: 127.0.0.1 by default, and nothing without the secret token.

As Jupyter does: the URL printed at start carries a token; opening it sets a cookie (HttpOnly,
SameSite=Strict) and every later request must carry it, and every change must also carry it in a
header (a page of another site cannot, so no cross-site request changes a grade). A request without
it gets 403 and no data. After each change the grade files are written again in the background,
coalescing changes made close together; `GET /api/status` says when they are up to date.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from autograder.course.desk import Conflict
from autograder.review import views
from autograder.review.changes import Course, Invalid

COOKIE = "autograder_review"
HEADER = "X-Review-Token"
QUIET_SECONDS = 0.3  # changes closer together than this share one publication


class Publisher:
    """Writes the grade files again after changes, in a thread of its own, one publication for a burst."""

    def __init__(self, course: Course):
        self.course = course
        self.wanted, self.done, self.error = 0, 0, ""
        self.changed = threading.Condition()
        threading.Thread(target=self.run, daemon=True, name="publisher").start()

    def touch(self) -> None:
        with self.changed:
            self.wanted += 1
            self.changed.notify_all()

    def run(self) -> None:
        while True:
            with self.changed:
                while self.done >= self.wanted:
                    self.changed.wait()
            time.sleep(QUIET_SECONDS)
            with self.changed:
                target = self.wanted
            try:
                self.course.publish()
                self.error = ""
            except Exception as exc:  # said on the page; the store holds every change, the next one retries
                self.error = f"the grade files could not be written: {type(exc).__name__}: {exc}"
            with self.changed:
                self.done = target
                self.changed.notify_all()

    def status(self) -> dict:
        return {"published": self.done >= self.wanted, "error": self.error}

    def flush(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.done < self.wanted and time.monotonic() < deadline:
                self.changed.wait(timeout=1)


class Review(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, course: Course, who: str, token: str | None = None):
        super().__init__(address, Handler)
        self.course, self.who = course, who
        self.token = token or secrets.token_urlsafe(32)
        self.lock = threading.Lock()  # one store connection: its changes one at a time (each a few ms)
        self.publisher = Publisher(course)

    def handle_error(self, request, client_address):
        """A connection that broke (a closed tab): one line, not socketserver's traceback."""
        import sys

        print(f"review: a request from {client_address[0]} failed: {sys.exc_info()[1]!r}", file=sys.stderr)

    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/?token={self.token}"


ROUTES_GET = {"/api/course": "course", "/api/student": "student", "/api/status": "status",
              "/api/history": "history"}
ROUTES_POST = {"/api/grade": "grade", "/api/override": "override", "/api/remove": "remove",
               "/api/request": "request", "/api/resolve": "resolve"}


class Handler(BaseHTTPRequestHandler):
    server: Review
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the token is in URLs: never in a log
        pass

    def given_token(self, header_only: bool) -> str:
        if header_only:
            return self.headers.get(HEADER, "")
        cookies = dict(part.strip().split("=", 1) for part in self.headers.get("Cookie", "").split(";")
                       if "=" in part)
        return self.headers.get(HEADER) or cookies.get(COOKIE, "")

    def allowed(self, header_only: bool = False) -> bool:
        return hmac.compare_digest(self.given_token(header_only).encode(), self.server.token.encode())

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/" and hmac.compare_digest(query.get("token", "").encode(), self.server.token.encode()):
            return self.redirect_with_cookie()
        if not self.allowed():
            return self.refuse()
        if url.path == "/":
            return self.send(200, views.page(self.server.course, self.server.token), "text/html; charset=utf-8")
        if url.path in views.STATIC:
            return self.send(200, views.static(url.path), views.STATIC[url.path][1])
        if url.path not in ROUTES_GET:
            return self.send_json(404, {"error": f"no such page: {url.path}"})
        self.answer(ROUTES_GET[url.path], query)

    def do_POST(self):
        url = urlparse(self.path)
        if not self.allowed(header_only=True):
            return self.refuse()
        if url.path not in ROUTES_POST:
            return self.send_json(404, {"error": f"no such action: {url.path}"})
        try:
            body = json.loads(self.rfile.read(min(int(self.headers.get("Content-Length", 0)), 1_000_000)) or b"{}")
        except ValueError:
            return self.send_json(400, {"error": "the request's body is not JSON"})
        self.answer(ROUTES_POST[url.path], body if isinstance(body, dict) else {}, change=True)

    def answer(self, action: str, args: dict, change: bool = False) -> None:
        try:
            with self.server.lock:
                result = getattr(views, action)(self.server.course, args, self.server.who)
        except Invalid as exc:
            return self.send_json(400, {"error": str(exc)})
        except Conflict as exc:
            return self.send_json(409, {"error": "a colleague changed this meanwhile: the page shows it now",
                                        "current": exc.current})
        except (KeyError, TypeError, ValueError) as exc:
            return self.send_json(400, {"error": f"a malformed request: {type(exc).__name__}: {exc}"})
        except Exception as exc:  # the store itself (a full disk, a lock held for minutes): said, never a traceback
            return self.send_json(500, {"error": f"the review desk could not do it: {type(exc).__name__}: {exc}"})
        if change:
            self.server.publisher.touch()
        if action == "status":
            result = {**result, **self.server.publisher.status()}
        self.send_json(200, result)

    def redirect_with_cookie(self) -> None:
        self.send_response(303)
        self.send_header("Location", "/")
        self.send_header("Set-Cookie", f"{COOKIE}={self.server.token}; HttpOnly; SameSite=Strict; Path=/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def refuse(self) -> None:
        self.send(403, "403: this page needs the token of the URL `autograder review` printed.\n", "text/plain")

    def send_json(self, code: int, value) -> None:
        self.send(code, json.dumps(value, ensure_ascii=False), "application/json")

    def send(self, code: int, body: str, kind: str) -> None:
        data = body.encode("utf-8")
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")  # the first URL holds the token
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", views.POLICY)
        self.end_headers()
        self.wfile.write(data)


def serve(out: Path, host: str, port: int, who: str) -> Review:
    """The server, bound (not yet serving): port 0 takes any free one."""
    return Review((host, port), Course.open(out), who)
