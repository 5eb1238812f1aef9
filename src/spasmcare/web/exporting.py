"""Exports as downloads: the web app's side of ``spasmcare.exports.formats``,
shared by the API route and the report page."""

from __future__ import annotations

from datetime import datetime

from fastapi.responses import Response

from spasmcare.core.knowledge import KnowledgeBase
from spasmcare.exports import formats
from spasmcare.store.diary import DiaryStore


def download(fmt: str, diary: DiaryStore, kb: KnowledgeBase, now: datetime, *,
             start: str | None = None, end: str | None = None, paper: str = "A4",
             days: int = 7, reminders: int = formats.DEFAULT_REMINDERS) -> Response:
    """The export as a file to save, named after the format and the day; private
    data, so no cache may keep it."""
    chosen = formats.find(fmt)
    mine = diary.settings()
    request = formats.read_request(kb, wake=mine.wake, sleep=mine.sleep, start=start, end=end,
                                   paper_size=paper, day_count=days, reminder_count=reminders,
                                   now=now)
    data = chosen.make(diary.diary(), request)
    name = f"spasmcare-{chosen.name}-{request.now:%Y-%m-%d}{chosen.suffix}"
    return Response(data, media_type=chosen.media_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    })
