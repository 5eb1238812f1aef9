"""/api/episodes: start an episode (after the red-flag check), end it, look back."""

from __future__ import annotations

from typing import Annotated

from fastapi import HTTPException, Path, Response

from spasmcare.core import triage as core_triage
from spasmcare.core.diary import Episode, make
from spasmcare.store.diary import DiaryStore
from spasmcare.web import routing
from spasmcare.web.api.idempotency import IdempotencyKey, chosen_id, replayed, save_once
from spasmcare.web.api.problems import problems
from spasmcare.web.api.schemas.diary import (
    EpisodeCreate,
    EpisodeEnd,
    EpisodePublic,
    episode_public,
)
from spasmcare.web.api.schemas.values import RecordId, Since, Until
from spasmcare.web.deps import KnowledgeDep, NowDep, StoreDep

router = routing.router(prefix="/episodes", tags=["episodes"])

EpisodeId = Annotated[RecordId, Path(description="The episode's id.")]


def find_episode(diary: DiaryStore, episode_id: str) -> Episode:
    found = diary.find(Episode, episode_id)
    if found is None:
        raise HTTPException(404, f"no episode with id {episode_id}")
    return found


@router.get("", responses=problems(422))
def list_episodes(diary: StoreDep, since: Since = None, until: Until = None) -> list[EpisodePublic]:
    """Episodes, oldest first (by onset)."""
    return [episode_public(e) for e in diary.records(Episode, since, until)]


@router.post("", status_code=201, responses=problems(400, 409, 422))
def start_episode(body: EpisodeCreate, diary: StoreDep, kb: KnowledgeDep, now: NowDep,
                  response: Response, key: IdempotencyKey = None) -> EpisodePublic:
    """Start an episode with the red-flag check's answers; its urgency is recorded."""
    answers = core_triage.parse_answers(body.answers.document(), kb.triage)
    core_triage.require_red_flag_check(answers, kb.triage)
    episode = make(Episode, now, **body.model_dump(exclude={"answers", "onset", "id"}),
                   onset=body.onset or now,
                   triage_urgency=core_triage.assess(answers, kb.triage).urgency,
                   triage_answers={**answers.findings, **dict.fromkeys(answers.unsure, True)},
                   **chosen_id(diary, "episodes", body.id, key))
    derived = ("triage_answers", "triage_urgency")
    if (kept := replayed(diary, episode, body, response, derived)) is not None:
        return episode_public(kept)
    current = diary.open_episode()
    # The open episode may be this one, when a retry crossed the first create.
    if current is not None and current.id != episode.id:
        raise HTTPException(409, f"episode {current.id} is still open; end it first with "
                                 f"POST /api/episodes/{current.id}/end")
    return episode_public(save_once(diary, episode, body, response, derived))


@router.post("/{episode_id}/end", responses=problems(400, 404, 422))
def end_episode(episode_id: EpisodeId, body: EpisodeEnd, diary: StoreDep,
                now: NowDep) -> EpisodePublic:
    """End an episode (or move its end); ``PATCH`` corrects its other fields."""
    episode = find_episode(diary, episode_id)
    ended = make(Episode, now, **{**episode.model_dump(), "ended_at": body.ended_at or now})
    diary.replace(ended, now)
    return episode_public(ended)
