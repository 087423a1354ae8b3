"""An SMTP sink that counts the messages each recipient received.

aiosmtpd's Controller runs the server in a thread of the benchmark process, so the counts are
read directly; nothing is stored but the recipients and the subject.
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller


class CountingHandler:
    """Accepts every message and counts it once per envelope recipient."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.subjects: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        subject = message_from_bytes(envelope.original_content or b"").get("Subject", "")
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received[rcpt.lower()] += 1
            self.subjects.append(str(subject))
        return "250 Message accepted for delivery"

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(self.received)

    def total(self) -> int:
        with self.lock:
            return sum(self.received.values())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """``with Sink() as sink:`` an SMTP server on 127.0.0.1:``sink.port``."""

    def __init__(self) -> None:
        self.handler = CountingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Sink:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
