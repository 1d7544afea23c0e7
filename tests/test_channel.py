import os

from grader.isolation import channel


def _pipe_with(*chunks: bytes) -> int:
    r, w = os.pipe()
    for c in chunks:
        os.write(w, c)
    os.close(w)
    return r


def test_signed_frames_round_trip() -> None:
    key = os.urandom(32)
    r, w = os.pipe()
    channel.send(w, key, {"kind": "check", "name": "a", "outcome": {"status": "passed"}})
    channel.send(w, key, {"kind": "end"})
    os.close(w)
    frames = list(channel.Receiver(r, key).frames())
    assert [f["kind"] for f in frames] == ["check", "end"]


def test_frames_signed_with_another_key_are_dropped() -> None:
    key, forged = os.urandom(32), os.urandom(32)
    r, w = os.pipe()
    channel.send(w, forged, {"kind": "check", "name": "a", "outcome": {"status": "passed"}})
    channel.send(w, key, {"kind": "end"})
    os.close(w)
    receiver = channel.Receiver(r, key)
    assert [f["kind"] for f in receiver.frames()] == ["end"]
    assert receiver.rejected == 1


def test_printed_text_is_not_a_frame() -> None:
    key = os.urandom(32)
    r = _pipe_with(b"10 passed, 0 failed\n" * 10)
    receiver = channel.Receiver(r, key)
    assert list(receiver.frames()) == []
    assert receiver.rejected >= 1


def test_sub_keys_differ_per_label() -> None:
    key = os.urandom(32)
    assert channel.derive_key(key, "a") != channel.derive_key(key, "b")
    assert channel.derive_key(key, "a") == channel.derive_key(key, "a")
