"""Every real capture in tests/fixtures decodes (fed whole and split at every point)."""

from __future__ import annotations

import pytest

from cgapi.protocol import MultiReply, Reply, ReplyBuffer, decode_reply
from tests.conftest import Capture, captures

CAPTURES = captures()


def test_every_fixture_file_is_listed() -> None:
    listed = {capture.path for capture in CAPTURES}
    on_disk = {
        path
        for path in (CAPTURES[0].path.parents[1]).rglob("*")
        if path.is_file() and path.suffix in (".json", ".txt") and path.name != "commands.json"
    }
    assert on_disk == listed
    assert len(CAPTURES) == 78


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda c: c.name)
def test_capture_decodes(capture: Capture) -> None:
    reply = decode_reply(capture.read())
    if isinstance(reply, MultiReply):
        assert len(reply) >= 1
        for sub in reply.values():
            assert sub.status.severity in "SIWEF"
        return
    assert isinstance(reply, Reply)
    assert reply.form == capture.form
    assert reply.status.severity in "SIWEF"
    if reply.status.is_error:
        assert reply.status.code in (1, 14, 45)
    elif reply.status.code is not None and capture.command in (
        "summary",
        "pools",
        "devs",
        "stats",
        "version",
        "coin",
        "config",
        "estats",
    ):
        assert reply.records, "a successful report reply carries records"


@pytest.mark.parametrize("capture", CAPTURES, ids=lambda c: c.name)
def test_capture_fed_at_every_split_point(capture: Capture) -> None:
    data = capture.read()
    expected = decode_reply(data)
    step = max(1, len(data) // 200)  # every point for small replies, ~200 for big ones
    for split in range(0, len(data) + 1, step):
        buffer = ReplyBuffer()
        done = buffer.feed(data[:split]) or buffer.feed(data[split:])
        if not done:
            buffer.feed_eof()
        assert decode_reply(buffer.data) == expected, f"split at {split}"
