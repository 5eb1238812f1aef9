"""Exports as downloads: the web app's side of ``spasmcare.exports.formats``,
shared by the API route and the report page."""

from __future__ import annotations

from datetime import datetime

from fastapi.responses import Response, StreamingResponse

from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.exports import formats
from spasmcare.store.diary import DiaryStore


def download(fmt: str, diary: DiaryStore, kb: KnowledgeBase, now: datetime, *,
             start: str | None = None, end: str | None = None, paper: str = "A4",
             days: int = 7, reminders: int = formats.DEFAULT_REMINDERS) -> Response:
    """The export as a file to save, named after the format and the day; private
    data, so no cache may keep it. A format that can stream is sent piece by
    piece, from one snapshot of the diary."""
    chosen = formats.find(fmt)
    mine = diary.settings()
    request = formats.read_request(kb, wake=mine.wake, sleep=mine.sleep, start=start, end=end,
                                   paper_size=paper, day_count=days, reminder_count=reminders,
                                   now=now, edited=diary.edited() if chosen.name == "pdf" else (),
                                   names=formats.AS_FIELDS)
    name = f"spasmcare-{chosen.name}-{request.now:%Y-%m-%d}{chosen.suffix}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"',
               "Cache-Control": "no-store",
               "X-Content-Type-Options": "nosniff"}
    if chosen.stream is not None:
        return StreamingResponse(iter(chosen.stream(diary.diary(), request)),
                                 media_type=chosen.media_type, headers=headers)
    return Response(chosen.make(diary.diary(), request), media_type=chosen.media_type,
                    headers=headers)
