"""Accounts: guest sign-up, who am I, users and advisor assignments (admin)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response

from assistant.api.context import Caller, Context
from assistant.api.schemas import errors
from assistant.api.wire import AdviseeOut, GuestIn, Issued, NewUser, UserOut
from assistant.core.access import Role, can_manage_users
from assistant.core.errors import NotFoundError
from assistant.core.store import User

router = APIRouter(prefix="/v1", tags=["accounts"])


def _out(user: User) -> UserOut:
    return UserOut(id=user.id, role=user.role.value, display_name=user.display_name)


def _admin(caller: Caller) -> None:
    if not can_manage_users(caller):
        raise HTTPException(403, "Only an administrator can manage users.")


@router.post("/auth/guest", response_model=Issued, status_code=201, responses=errors(400, 413, 422, 429))
def guest(ctx: Context, body: GuestIn | None = None) -> Issued:
    """A new learner account with its API key (shown once): how a prospective learner starts."""
    user, key = ctx.store.create_user(Role.LEARNER, (body or GuestIn()).display_name)
    return Issued(user=_out(user), api_key=key)


@router.get("/me", response_model=UserOut, responses=errors(401, 429))
def me(ctx: Context, caller: Caller) -> UserOut:
    user = ctx.store.get_user(caller.user_id)
    assert user is not None
    return _out(user)


@router.post("/users", response_model=Issued, status_code=201, responses=errors(400, 401, 403, 413, 422, 429))
def create_user(ctx: Context, caller: Caller, body: NewUser) -> Issued:
    _admin(caller)
    user, key = ctx.store.create_user(Role(body.role), body.display_name)
    return Issued(user=_out(user), api_key=key)


@router.get("/users", response_model=list[UserOut], responses=errors(401, 403, 422, 429))
def list_users(ctx: Context, caller: Caller, role: Role | None = None) -> list[UserOut]:
    _admin(caller)
    return [_out(u) for u in ctx.store.list_users(role)]


@router.put("/advisors/{advisor_id}/advisees/{learner_id}", status_code=204, responses=errors(401, 403, 404, 422, 429))
def assign(ctx: Context, caller: Caller, advisor_id: str, learner_id: str) -> Response:
    _admin(caller)
    try:
        ctx.store.assign(advisor_id, learner_id)
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    return Response(status_code=204)


@router.delete(
    "/advisors/{advisor_id}/advisees/{learner_id}", status_code=204, responses=errors(401, 403, 404, 422, 429)
)
def unassign(ctx: Context, caller: Caller, advisor_id: str, learner_id: str) -> Response:
    _admin(caller)
    if not ctx.store.unassign(advisor_id, learner_id):
        raise HTTPException(404, "No such assignment.")
    return Response(status_code=204)


@router.get("/advisees", response_model=list[AdviseeOut], responses=errors(401, 403, 429))
def advisees(ctx: Context, caller: Caller) -> list[AdviseeOut]:
    """The advisor's assigned learners, with enough to pick one for a session."""
    if caller.role is not Role.ADVISOR:
        raise HTTPException(403, "Only advisors have advisees.")
    out = []
    for learner_id in ctx.store.advisees(caller.user_id):
        user = ctx.store.get_user(learner_id)
        if user is None:
            continue
        record = ctx.store.get_profile(learner_id)
        profile, _ = ctx.profile(learner_id)
        goal = ctx.current_goal(learner_id)
        out.append(
            AdviseeOut(
                id=learner_id,
                display_name=user.display_name,
                has_resume=ctx.store.get_resume(learner_id) is not None,
                skills=len(profile.skills),
                goal=goal,
                updated_at=record.updated_at if record else None,
            )
        )
    return out
