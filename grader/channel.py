"""A signed one-way message channel between grading processes.

Outcomes travel over an inherited pipe, never stdout or a file, and every frame carries
an HMAC-SHA256 of its body under a per-run secret that reaches the grading process over
its stdin (never argv or the environment). Frames that fail verification are dropped and
counted, so printing "10 passed", writing to the pipe blindly, or replaying another run's
frames earns nothing.

Frame: 4-byte big-endian length, 32-byte MAC, JSON body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import select
import struct
import time
from typing import Any, Iterator

_HEADER = struct.Struct(">I")
_MAC_LEN = 32
MAX_FRAME = 8 * 1024 * 1024


def derive_key(key: bytes, label: str) -> bytes:
    """A sub-key for one check, so a check process never holds the run's key."""
    return hmac.new(key, label.encode(), hashlib.sha256).digest()


def send(fd: int, key: bytes, message: dict[str, Any]) -> None:
    body = json.dumps(message, ensure_ascii=False, default=str).encode()
    if len(body) > MAX_FRAME:
        body = json.dumps({**message, "output": "", "traceback": "", "truncated": True}, default=str).encode()[:MAX_FRAME]
    mac = hmac.new(bytes(key), body, hashlib.sha256).digest()
    data = _HEADER.pack(len(body)) + mac + body
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Receiver:
    """Reads verified frames from a pipe until EOF or a deadline."""

    def __init__(self, fd: int, key: bytes) -> None:
        self.fd = fd
        self.key = bytes(key)
        self.buffer = bytearray()
        self.rejected = 0
        self.eof = False

    def _fill(self, deadline: float | None) -> bool:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def frames(self, deadline: float | None = None) -> Iterator[dict[str, Any]]:
        """Verified messages in order; stops at EOF or when the deadline passes."""
        while True:
            while len(self.buffer) >= _HEADER.size + _MAC_LEN:
                (length,) = _HEADER.unpack_from(self.buffer)
                if length > MAX_FRAME:  # garbage in the pipe: nothing after it can be trusted
                    self.rejected += 1
                    self.buffer.clear()
                    break
                end = _HEADER.size + _MAC_LEN + length
                if len(self.buffer) < end:
                    break
                mac = bytes(self.buffer[_HEADER.size:_HEADER.size + _MAC_LEN])
                body = bytes(self.buffer[_HEADER.size + _MAC_LEN:end])
                del self.buffer[:end]
                if hmac.compare_digest(mac, hmac.new(self.key, body, hashlib.sha256).digest()):
                    try:
                        yield json.loads(body)
                    except ValueError:
                        self.rejected += 1
                else:
                    self.rejected += 1
            if self.eof or (deadline is not None and time.monotonic() >= deadline):
                return
            if not self._fill(deadline) and not self.eof:
                if deadline is not None and time.monotonic() >= deadline:
                    return
