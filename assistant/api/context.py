"""What every route needs — the loaded service, the store, the dialogue engine — and who is asking.

Authentication is an API key sent as ``Authorization: Bearer <key>`` (an OAuth2-style bearer token) or
``X-API-Key``; only its SHA-256 is stored. Authorisation asks :mod:`assistant.core.access`, and a learner
an advisor may not see answers 404, as an unknown one does, so ids cannot be probed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from assistant.bootstrap import Stackwise
from assistant.core.access import Principal, Role, can_read_learner, can_write_learner
from assistant.core.dialogue import ConversationState, DialogueEngine, LanguageModel
from assistant.core.models import EarnedCredential, LearnerProfile
from assistant.core.store import ProfileRecord, Store, User, utcnow


@dataclass
class ApiContext:
    service: Stackwise
    store: Store
    llm: LanguageModel | None = None
    _engine: DialogueEngine | None = field(default=None, init=False)

    @property
    def engine(self) -> DialogueEngine:
        if self._engine is None:
            self._engine = self.service.dialogue_engine(self.llm)
        return self._engine

    # --- profiles --------------------------------------------------------------------------------------

    def profile(self, learner_id: str) -> tuple[LearnerProfile, tuple[EarnedCredential, ...]]:
        record = self.store.get_profile(learner_id)
        if record is None:
            return LearnerProfile(learner_id=learner_id), ()
        profile = LearnerProfile.model_validate_json(record.profile_json)
        earned = tuple(EarnedCredential.model_validate(e) for e in json.loads(record.earned_json or "[]"))
        return profile, earned

    def save_profile(
        self, learner_id: str, profile: LearnerProfile, earned: tuple[EarnedCredential, ...] | None = None
    ) -> None:
        if earned is None:
            earned = self.profile(learner_id)[1]
        self.store.save_profile(
            ProfileRecord(
                learner_id=learner_id,
                profile_json=profile.model_copy(update={"learner_id": learner_id}).model_dump_json(),
                earned_json=json.dumps([e.model_dump(mode="json") for e in earned]),
                updated_at=utcnow(),
            )
        )

    def current_goal(self, learner_id: str) -> str | None:
        """The goal of the learner's most recent conversation that has one (what briefs and lists show)."""
        for session in self.store.list_sessions(learner_id):
            label = ConversationState.model_validate_json(session.state_json).goal_label
            if label:
                return label
        return None

    def state_for(self, learner_id: str, state_json: str | None) -> ConversationState:
        """The session's state with the stored profile as the source of truth (a résumé uploaded since wins)."""
        state = ConversationState.model_validate_json(state_json) if state_json else ConversationState()
        profile, earned = self.profile(learner_id)
        if profile != state.profile or earned != state.earned:
            state = state.model_copy(update={"profile": profile, "earned": earned, "view": None})
        return state


def context(request: Request) -> ApiContext:
    ctx: ApiContext = request.app.state.context
    return ctx


Context = Annotated[ApiContext, Depends(context)]

_bearer = HTTPBearer(auto_error=False, description="API key as a bearer token")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="API key")


def principal(
    ctx: Context,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    header: Annotated[str | None, Security(_header)],
) -> Principal:
    key = bearer.credentials if bearer is not None else header
    if not key:
        raise HTTPException(
            401, "Sign in: send your API key as 'Authorization: Bearer <key>'.", headers={"WWW-Authenticate": "Bearer"}
        )
    user = ctx.store.user_by_key(key.strip())
    if user is None:
        raise HTTPException(401, "This API key is not valid.", headers={"WWW-Authenticate": "Bearer"})
    return _principal(user)


def _principal(user: User) -> Principal:
    return Principal(user_id=user.id, role=user.role, display_name=user.display_name)


Caller = Annotated[Principal, Depends(principal)]


def learner_id_for(ctx: ApiContext, caller: Principal, learner_id: str, *, write: bool = False) -> str:
    """Resolve ``me`` and check access: 404 for learners the caller may not see, 403 for read-only callers."""
    if learner_id == "me":
        if caller.role is not Role.LEARNER:
            raise HTTPException(400, "'me' names a learner; advisors and admins give the learner's id.")
        return caller.user_id
    advisees = ctx.store.advisees(caller.user_id) if caller.role is Role.ADVISOR else []
    user = ctx.store.get_user(learner_id)
    if user is None or user.role is not Role.LEARNER or not can_read_learner(caller, learner_id, advisees):
        raise HTTPException(404, f"No learner {learner_id!r} that you can see.")
    if write and not can_write_learner(caller, learner_id, advisees):
        raise HTTPException(403, "Advisors can read an advisee's data but not change it.")
    return learner_id
