"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, on a free port.

``SmtpServer(refuse=2)`` answers the first two messages with a temporary
failure (451) and accepts the rest, so retry and backoff are tested against
a real server's refusal.
"""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

PORTS = range(25660, 25700)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the test SMTP server")


class _Handler:
    def __init__(self, refuse: int):
        self.refuse = refuse
        self.messages = []
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    def __init__(self, refuse: int = 0):
        from aiosmtpd.controller import Controller

        self.handler = _Handler(refuse)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.handler.messages

    def __enter__(self) -> "SmtpServer":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def config(self, **extra):
        from geo.mail import SmtpConfig

        return SmtpConfig(host="127.0.0.1", port=self.port, sender="wijkatlas@geldrop-mierlo.example",
                          public_url="https://wijkatlas.example", timeout=10, **extra)
