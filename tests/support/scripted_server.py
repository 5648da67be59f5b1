"""A small HTTP server on 127.0.0.1 whose answers a test scripts, for behaviour that needs
state or faults (429, 500, slow answers) that a contract mock cannot give. It records every
request it receives. Contract conformance is tested against Prism, not here."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Answer:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Handler = Callable[[Seen], Answer]


class ScriptedServer:
    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self.routes: dict[tuple[str, str], list[Answer] | Handler] = {}
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                seen = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                            self.rfile.read(length) if length else b"")
                server.seen.append(seen)
                answer = server._answer(seen)
                if answer.delay:
                    time.sleep(answer.delay)
                payload = b"" if answer.body is None else (
                    answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode())
                try:
                    self.send_response(answer.status)
                    if answer.body is not None and "content-type" not in {k.lower() for k in answer.headers}:
                        self.send_header("Content-Type", "application/json")
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def on(self, method: str, path: str, *answers: Answer | Handler) -> None:
        """Answers in order (the last repeats), or one handler called for every request."""
        if len(answers) == 1 and callable(answers[0]):
            self.routes[(method, path)] = answers[0]
        else:
            self.routes[(method, path)] = list(answers)  # type: ignore[arg-type]

    def _answer(self, seen: Seen) -> Answer:
        path = seen.path.split("?")[0]
        route = self.routes.get((seen.method, path))
        if route is None:
            return Answer(404, {"message": f"no route {seen.method} {path}"})
        if callable(route):
            return route(seen)
        return route.pop(0) if len(route) > 1 else route[0]

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
