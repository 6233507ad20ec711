"""Real servers on 127.0.0.1 for the notification tests: a small SMTP server that can be stopped and started
again on the same port, and a LINE Messaging API server that implements the push and reply endpoints ITA Desk
uses (it checks the Bearer token and the payload's shape as LINE documents them, and records every message)."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------------------ SMTP


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 127.0.0.1 test SMTP ready")
        mail_from, rcpts = None, []
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 127.0.0.1")
            elif verb == "MAIL":
                mail_from, rcpts = line[10:].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpts.append(line[8:].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                chunks = []
                while True:
                    data = self.rfile.readline(1 << 20)
                    if data in (b".\r\n", b".\n", b""):
                        break
                    chunks.append(data[1:] if data.startswith(b"..") else data)
                message = message_from_bytes(b"".join(chunks), policy=default_policy)
                self.server.received.append({"from": mail_from, "to": list(rcpts), "message": message})
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _ThreadingTCP(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SMTPServer:
    """``start()`` listens on ``port`` (the same one each time); ``stop()`` closes it, so connections are refused.
    ``received``: every message accepted, as {"from", "to", "message" (an EmailMessage)}."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.received: list[dict] = []
        self._server = None
        self._thread = None

    def start(self):
        self._server = _ThreadingTCP(("127.0.0.1", self.port), _SMTPHandler)
        self._server.received = self.received
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None


# ------------------------------------------------------------------------------------------ LINE


class _LineHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _json(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-line-request-id", "test-request")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 — http.server's name
        api = self.server.api
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.headers.get("Authorization") != f"Bearer {api.token}":
            api.rejected.append(self.path)
            return self._json(401, {"message": "Authentication failed. Confirm that the access token in the "
                                               "authorization header is valid."})
        if api.fail_with:
            return self._json(api.fail_with, {"message": "test failure"})
        try:
            payload = json.loads(raw)
        except ValueError:
            return self._json(400, {"message": "The request body has 1 error(s)"})
        problems = _check(self.path, payload)
        if problems:
            api.rejected.append(self.path)
            return self._json(400, {"message": f"The request body has {len(problems)} error(s)",
                                    "details": [{"message": p} for p in problems]})
        api.calls.append({"path": self.path, "payload": payload,
                          "retry_key": self.headers.get("X-Line-Retry-Key")})
        return self._json(200, {"sentMessages": [{"id": str(len(api.calls)), "quoteToken": "q"}
                                                 for _m in payload["messages"]]})


def _check(path: str, payload: dict) -> list[str]:
    problems = []
    if path == "/v2/bot/message/push":
        if not isinstance(payload.get("to"), str) or not payload["to"]:
            problems.append("to: must be specified")
    elif path == "/v2/bot/message/reply":
        if not isinstance(payload.get("replyToken"), str) or not payload["replyToken"]:
            problems.append("replyToken: must be specified")
    else:
        return [f"unknown endpoint {path}"]
    messages = payload.get("messages")
    if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
        problems.append("messages: size must be between 1 and 5")
        return problems
    for i, m in enumerate(messages):
        if m.get("type") != "text":
            problems.append(f"messages[{i}].type: only text in this test server")
        text = m.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= 5000:
            problems.append(f"messages[{i}].text: length must be between 1 and 5000")
    return problems


class FakeLineAPI:
    """A LINE Messaging API on 127.0.0.1 (``url``) accepting ``token``. ``calls``: accepted requests;
    ``rejected``: paths refused (bad token or payload); ``fail_with``: answer every request with this status."""

    def __init__(self, token: str):
        self.token = token
        self.calls: list[dict] = []
        self.rejected: list[str] = []
        self.fail_with: int | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _LineHandler)
        self._server.api = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def pushes(self) -> list[dict]:
        return [c["payload"] for c in self.calls if c["path"] == "/v2/bot/message/push"]

    def replies(self) -> list[dict]:
        return [c["payload"] for c in self.calls if c["path"] == "/v2/bot/message/reply"]

    def close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
