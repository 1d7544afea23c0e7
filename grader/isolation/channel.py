"""A signed one-way message channel between grading processes.

Outcomes travel over an inherited pipe, never stdout or a file, and every frame carries
an HMAC-SHA256 of its body under a per-run secret that reaches the grading process over
its stdin (never argv or the environment). Frames that fail verification are dropped and
counted, so printing "10 passed", writing to the pipe blindly, or replaying another run's
frames earns nothing.

The sending side runs in processes where student code has run (a check process sends
its own outcome), so `send` depends on nothing a submission can monkeypatch: every
function it calls is bound as a default argument when this module is imported (before
any student code), the JSON is written by a small encoder of our own over C built-ins
(`_json.encode_basestring_ascii`), and the MAC comes from `_hashlib.hmac_digest`.
Patching `json.dumps`, `hmac.new` or `os.write` afterwards changes nothing here; changing
this function's `__code__` or `__defaults__` is refused by the check process' audit hook.

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

try:  # the C implementations: not reachable by patching the `hmac` / `json` modules
    from _hashlib import hmac_digest as _c_hmac_digest
except ImportError:  # pragma: no cover - an OpenSSL-less Python
    _c_hmac_digest = None
from _json import encode_basestring_ascii as _c_encode_str

_HEADER = struct.Struct(">I")
_MAC_LEN = 32
MAX_FRAME = 8 * 1024 * 1024


def derive_key(key: bytes | bytearray, label: str) -> bytes:
    """A sub-key for one check, so a check process never holds the run's key."""
    return _mac(key, label.encode())


def _mac(key: bytes | bytearray, body: bytes, _c=_c_hmac_digest, _py=hmac.new, _sha=hashlib.sha256) -> bytes:
    # a bytearray key is used in place: no immutable copy of the secret is left behind
    if _c is not None:
        return _c(key, body, "sha256")
    return _py(key, body, _sha).digest()  # pragma: no cover


def _make_encoder(
    _type=type, _str=str, _int=int, _float=float, _bool=bool, _dict=dict, _list=list, _tuple=tuple,
    _enc=_c_encode_str, _frepr=float.__repr__, _irepr=int.__repr__, _join=", ".join, _items=dict.items,
):
    specials = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}

    def encode(obj: Any, depth: int = 0) -> str:
        """JSON text of plain data (dict with str keys, list, tuple, str, int, float, bool, None).

        Only exact built-in types are encoded (a subclass's `__str__` or `__iter__` never
        runs); anything else becomes the string "<unserializable>". Depth is bounded."""
        kind = _type(obj)
        if depth > 32:
            return '"<too deep>"'
        if obj is None:
            return "null"
        if kind is _bool:
            return "true" if obj else "false"
        if kind is _int:
            return _irepr(obj)
        if kind is _float:
            text = _frepr(obj)
            return specials.get(text, text)
        if kind is _str:
            return _enc(obj)
        if kind is _dict:
            return "{" + _join([_enc(k) + ": " + encode(v, depth + 1) for k, v in _items(obj) if _type(k) is _str]) + "}"
        if kind is _list or kind is _tuple:
            return "[" + _join([encode(v, depth + 1) for v in obj]) + "]"
        return '"<unserializable>"'

    return encode


encode = _make_encoder()


def send(
    fd: int,
    key: bytes,
    message: dict[str, Any],
    *,
    _encode=encode, _mac=_mac, _pack=_HEADER.pack, _write=os.write, _len=len, _mv=memoryview,
    _max=MAX_FRAME, _dict=dict,
) -> None:
    body = _encode(message).encode("utf-8", "replace")
    if _len(body) > _max:
        slim = _dict(message)
        for name in ("output", "traceback"):
            if name in slim:
                slim[name] = ""
        slim["truncated"] = True
        body = _encode(slim).encode("utf-8", "replace")[:_max]
    data = _pack(_len(body)) + _mac(key, body) + body
    view = _mv(data)
    while view:
        written = _write(fd, view)
        view = view[written:]


class Receiver:
    """Reads verified frames from a pipe until EOF or a deadline."""

    def __init__(self, fd: int, key: bytes | bytearray) -> None:
        self.fd = fd
        self.key = key
        self.buffer = bytearray()
        self.rejected = 0
        self.eof = False

    def _fill(self, deadline: float | None) -> bool:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            ready, _, _ = select.select([self.fd], [], [], timeout)
        except InterruptedError:  # pragma: no cover - PEP 475 retries, but be safe
            return False
        if not ready:
            return False
        chunk = os.read(self.fd, 1 << 16)
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def pump(self) -> list[dict[str, Any]]:
        """One read of what is there now (never blocks), then every complete frame buffered."""
        self._fill(time.monotonic())
        return list(self.frames(0.0))

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
                if hmac.compare_digest(mac, _mac(self.key, body)):
                    try:
                        message = json.loads(body)
                    except ValueError:
                        self.rejected += 1
                        continue
                    if isinstance(message, dict):
                        yield message
                    else:
                        self.rejected += 1
                else:
                    self.rejected += 1
            if self.eof or (deadline is not None and time.monotonic() >= deadline):
                return
            if not self._fill(deadline) and not self.eof:
                if deadline is not None and time.monotonic() >= deadline:
                    return
