"""Posting files to Slack: to the CoP's channel when asked there, else to the person's DM.

Uses ``files_upload_v2`` (files.getUploadURLExternal, an upload POST per file, then one
files.completeUploadExternal sharing them all with a comment).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class UploadFile(Protocol):
    filename: str
    title: str
    content: bytes


def destination(client: Any, *, asked_in: str | None, cop_channel_id: str | None, user_id: str) -> str:
    """The CoP channel when the command came from it, otherwise a DM with the person."""
    if asked_in and cop_channel_id and asked_in == cop_channel_id:
        return asked_in
    return client.conversations_open(users=user_id)["channel"]["id"]


def upload_files(client: Any, *, channel: str, files: Sequence[UploadFile], comment: str) -> None:
    client.files_upload_v2(
        channel=channel,
        initial_comment=comment,
        file_uploads=[{"content": f.content, "filename": f.filename, "title": f.title} for f in files],
    )
