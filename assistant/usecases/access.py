"""Who is asking, and which learner, conversation or brief they may reach.

The role rules are the pure table in :mod:`assistant.core.access`; this applies them to what the store holds.
A learner, conversation or brief the caller may not see is reported as not found, as an unknown one is, so
ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.core.access import AccessDenied, Principal, Role, can_read_learner, can_write_brief, can_write_learner
from assistant.core.errors import AuthenticationError, BadRequestError, NotFoundError
from assistant.core.store import BriefRecord, SessionRecord, Store

ME = "me"


@dataclass(frozen=True)
class Access:
    store: Store

    def caller(self, key: str | None) -> Principal:
        """The principal an API key belongs to."""
        if not key:
            raise AuthenticationError("Sign in: send your API key as 'Authorization: Bearer <key>'.")
        user = self.store.user_by_key(key.strip())
        if user is None:
            raise AuthenticationError("This API key is not valid.")
        return Principal(user_id=user.id, role=user.role, display_name=user.display_name)

    def advisees(self, caller: Principal) -> list[str]:
        return self.store.advisees(caller.user_id) if caller.role is Role.ADVISOR else []

    def learner(self, caller: Principal, learner_id: str, *, write: bool = False) -> str:
        """Resolve ``me`` and check access: not found for learners the caller may not see, denied for
        read-only callers."""
        if learner_id == ME:
            if caller.role is not Role.LEARNER:
                raise BadRequestError("'me' names a learner; advisors and admins give the learner's id.")
            return caller.user_id
        advisees = self.advisees(caller)
        user = self.store.get_user(learner_id)
        if user is None or user.role is not Role.LEARNER or not can_read_learner(caller, learner_id, advisees):
            raise NotFoundError(f"No learner {learner_id!r} that you can see.")
        if write and not can_write_learner(caller, learner_id, advisees):
            raise AccessDenied("Advisors can read an advisee's data but not change it.")
        return learner_id

    def session(self, caller: Principal, session_id: str, *, write: bool = False) -> SessionRecord:
        record = self.store.get_session(session_id)
        if record is None:
            raise NotFoundError("No such conversation.")
        try:
            self.learner(caller, record.learner_id, write=write)
        except NotFoundError as exc:
            raise NotFoundError("No such conversation.") from exc
        return record

    def brief(self, caller: Principal, brief_id: str, *, write: bool = False) -> BriefRecord:
        record = self.store.get_brief(brief_id)
        if record is None:
            raise NotFoundError("No such brief.")
        try:
            self.learner(caller, record.learner_id)
        except (NotFoundError, BadRequestError) as exc:
            raise NotFoundError("No such brief.") from exc
        if write and not can_write_brief(
            caller, record.learner_id, self.store.advisees(caller.user_id), author_id=record.advisor_id
        ):
            raise AccessDenied("Only the brief's author or an administrator can change it.")
        return record
