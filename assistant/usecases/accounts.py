"""Accounts: guest sign-up, who am I, users and advisor assignments (admin), an advisor's advisees."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assistant.core.access import AccessDenied, Principal, Role, can_manage_users
from assistant.core.errors import NotFoundError, StackwiseError
from assistant.core.store import Store, User
from assistant.usecases.conversations import Conversations
from assistant.usecases.learners import Learners


@dataclass(frozen=True)
class Advisee:
    """Enough about an assigned learner to pick one for a session."""

    user: User
    has_resume: bool
    skills: int
    goal: str | None
    updated_at: datetime | None


@dataclass(frozen=True)
class Accounts:
    store: Store
    learners: Learners
    conversations: Conversations

    def guest(self, display_name: str) -> tuple[User, str]:
        """A new learner account with its API key (shown once): how a prospective learner starts."""
        return self.store.create_user(Role.LEARNER, display_name)

    def me(self, caller: Principal) -> User:
        user = self.store.get_user(caller.user_id)
        if user is None:  # deleted between authentication and now
            raise NotFoundError("This account no longer exists.")
        return user

    def _admin(self, caller: Principal) -> None:
        if not can_manage_users(caller):
            raise AccessDenied("Only an administrator can manage users.")

    def create_user(self, caller: Principal, role: Role, display_name: str) -> tuple[User, str]:
        self._admin(caller)
        return self.store.create_user(role, display_name)

    def users(self, caller: Principal, role: Role | None = None) -> list[User]:
        self._admin(caller)
        return self.store.list_users(role)

    def assign(self, caller: Principal, advisor_id: str, learner_id: str) -> None:
        self._admin(caller)
        try:
            self.store.assign(advisor_id, learner_id)
        except ValueError as exc:  # a user of the wrong role
            raise StackwiseError(str(exc)) from exc

    def unassign(self, caller: Principal, advisor_id: str, learner_id: str) -> None:
        self._admin(caller)
        if not self.store.unassign(advisor_id, learner_id):
            raise NotFoundError("No such assignment.")

    def advisees(self, caller: Principal) -> list[Advisee]:
        """The advisor's assigned learners, each read once."""
        if caller.role is not Role.ADVISOR:
            raise AccessDenied("Only advisors have advisees.")
        out = []
        for learner_id in self.store.advisees(caller.user_id):
            user = self.store.get_user(learner_id)
            if user is None:
                continue
            record = self.store.get_profile(learner_id)
            profile, _ = self.learners.parse(learner_id, record)
            out.append(
                Advisee(
                    user=user,
                    has_resume=self.store.get_resume(learner_id) is not None,
                    skills=len(profile.skills),
                    goal=self.conversations.current_goal(learner_id),
                    updated_at=record.updated_at if record else None,
                )
            )
        return out
