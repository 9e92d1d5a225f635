"""The access rules, checked over every role against every kind of learner it could ask about."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.core.access import (
    AccessDenied,
    Principal,
    Role,
    can_delete_learner,
    can_manage_users,
    can_read_learner,
    can_write_brief,
    can_write_learner,
    require,
)
from assistant.core.errors import StackwiseError

ME = "me"
ADVISEE = "advisee"
STRANGER = "stranger"
ADVISEES = frozenset({ADVISEE})

# (role, learner asked about) -> (read, write, delete, write brief)
MATRIX: dict[tuple[Role, str], tuple[bool, bool, bool, bool]] = {
    (Role.LEARNER, ME): (True, True, True, False),
    (Role.LEARNER, ADVISEE): (False, False, False, False),
    (Role.LEARNER, STRANGER): (False, False, False, False),
    (Role.ADVISOR, ME): (False, False, False, False),
    (Role.ADVISOR, ADVISEE): (True, False, False, True),
    (Role.ADVISOR, STRANGER): (False, False, False, False),
    (Role.ADMIN, ME): (True, True, True, True),
    (Role.ADMIN, ADVISEE): (True, True, True, True),
    (Role.ADMIN, STRANGER): (True, True, True, True),
}


@pytest.mark.parametrize(("role", "learner_id"), list(MATRIX), ids=[f"{r}-{who}" for r, who in MATRIX])
def test_role_matrix(role: Role, learner_id: str) -> None:
    principal = Principal(user_id=ME, role=role)
    read, write, delete, brief = MATRIX[role, learner_id]
    assert can_read_learner(principal, learner_id, ADVISEES) is read
    assert can_write_learner(principal, learner_id, ADVISEES) is write
    assert can_write_learner(principal, learner_id) is write
    assert can_delete_learner(principal, learner_id) is delete
    assert can_write_brief(principal, learner_id, ADVISEES) is brief


@pytest.mark.parametrize("role", list(Role))
def test_only_admins_manage_users(role: Role) -> None:
    assert can_manage_users(Principal(user_id=ME, role=role)) is (role is Role.ADMIN)


def test_a_learner_listed_as_advisee_gains_nothing() -> None:
    """Advisees only mean something for advisors; a learner's own list never widens what they see."""
    learner = Principal(user_id=ME, role=Role.LEARNER)
    assert not can_read_learner(learner, ADVISEE, [ADVISEE])
    assert not can_write_brief(learner, ADVISEE, [ADVISEE])


def test_an_advisor_without_advisees_sees_no_one() -> None:
    advisor = Principal(user_id=ME, role=Role.ADVISOR)
    assert not any(can_read_learner(advisor, who, ()) for who in (ME, ADVISEE, STRANGER))


def test_require_raises_access_denied() -> None:
    require(True, "read this learner")
    with pytest.raises(AccessDenied, match="not allowed to delete this learner") as caught:
        require(False, "delete this learner")
    assert isinstance(caught.value, StackwiseError)
    assert isinstance(caught.value, PermissionError)


def test_principal_is_immutable_and_roles_are_strings() -> None:
    principal = Principal(user_id=ME, role=Role.ADVISOR, display_name="Ada")
    with pytest.raises(dataclasses.FrozenInstanceError):
        principal.role = Role.ADMIN  # type: ignore[misc]
    assert [role.value for role in Role] == ["learner", "advisor", "admin"]
    assert Role("admin") is Role.ADMIN


def test_an_existing_brief_is_changed_only_by_its_author_or_an_admin() -> None:
    author = Principal(user_id="adv-1", role=Role.ADVISOR)
    colleague = Principal(user_id="adv-2", role=Role.ADVISOR)
    admin = Principal(user_id="root", role=Role.ADMIN)
    assert can_write_brief(author, ADVISEE, [ADVISEE], author_id="adv-1")
    assert not can_write_brief(colleague, ADVISEE, [ADVISEE], author_id="adv-1")
    assert can_write_brief(colleague, ADVISEE, [ADVISEE])  # a new brief of their own
    assert can_write_brief(admin, ADVISEE, [], author_id="adv-1")
