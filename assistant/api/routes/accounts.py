"""Accounts: guest sign-up, who am I, users and advisor assignments (admin).

Each route reads its input, calls :class:`~assistant.usecases.accounts.Accounts` and shapes the answer.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from assistant.api.deps import App, Caller
from assistant.api.schemas import errors
from assistant.api.wire import AdviseeOut, GuestIn, Issued, NewUser, UserOut
from assistant.core.access import Role

router = APIRouter(prefix="/v1", tags=["accounts"])


@router.post("/auth/guest", response_model=Issued, status_code=201, responses=errors(400, 413, 422, 429))
def guest(app: App, body: GuestIn | None = None) -> Issued:
    """A new learner account with its API key (shown once): how a prospective learner starts."""
    return Issued.of(app.accounts.guest((body or GuestIn()).display_name))


@router.get("/me", response_model=UserOut, responses=errors(401, 429))
def me(app: App, caller: Caller) -> UserOut:
    return UserOut.of(app.accounts.me(caller))


@router.post("/users", response_model=Issued, status_code=201, responses=errors(400, 401, 403, 413, 422, 429))
def create_user(app: App, caller: Caller, body: NewUser) -> Issued:
    return Issued.of(app.accounts.create_user(caller, Role(body.role), body.display_name))


@router.get("/users", response_model=list[UserOut], responses=errors(401, 403, 422, 429))
def list_users(app: App, caller: Caller, role: Role | None = None) -> list[UserOut]:
    return [UserOut.of(u) for u in app.accounts.users(caller, role)]


@router.put("/advisors/{advisor_id}/advisees/{learner_id}", status_code=204, responses=errors(401, 403, 404, 422, 429))
def assign(app: App, caller: Caller, advisor_id: str, learner_id: str) -> Response:
    app.accounts.assign(caller, advisor_id, learner_id)
    return Response(status_code=204)


@router.delete(
    "/advisors/{advisor_id}/advisees/{learner_id}", status_code=204, responses=errors(401, 403, 404, 422, 429)
)
def unassign(app: App, caller: Caller, advisor_id: str, learner_id: str) -> Response:
    app.accounts.unassign(caller, advisor_id, learner_id)
    return Response(status_code=204)


@router.get("/advisees", response_model=list[AdviseeOut], responses=errors(401, 403, 429))
def advisees(app: App, caller: Caller) -> list[AdviseeOut]:
    """The advisor's assigned learners, with enough to pick one for a session."""
    return [AdviseeOut.of(a) for a in app.accounts.advisees(caller)]
