"""Who may see and change what: the role rules every API route asks before touching a learner's data.

Pure on purpose (stdlib only) so the rules are one table that tests check exhaustively, and the HTTP layer
cannot drift from it. Three roles:

=======  ======================  ============================  =============
role     reads a learner         changes or deletes a learner  writes briefs
=======  ======================  ============================  =============
learner  only themself           only themself                 never
advisor  only assigned advisees  never                         for advisees
admin    everyone                everyone                      for everyone
=======  ======================  ============================  =============

Advisors may read but never change a learner's résumé or profile: the record is the learner's own, and an
advisor's view of it belongs in a brief, which is kept apart and names its author.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from assistant.core.errors import StackwiseError


class Role(StrEnum):
    LEARNER = "learner"
    ADVISOR = "advisor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of one request, as resolved from its API key."""

    user_id: str
    role: Role
    display_name: str = ""


class AccessDenied(StackwiseError, PermissionError):
    """The caller is known but the rules above do not let them do this (HTTP 403, not 404 or 401)."""


def can_review_catalog(principal: Principal) -> bool:
    """The catalog's health (duplication, demand gaps, coverage) is for the staff who run it: admins."""
    return principal.role is Role.ADMIN


def can_read_learner(principal: Principal, learner_id: str, advisees: Collection[str]) -> bool:
    """Learners see only themselves; advisors see the learners assigned to them; admins see everyone."""
    if principal.role is Role.ADMIN:
        return True
    if principal.role is Role.ADVISOR:
        return learner_id in advisees
    return principal.user_id == learner_id


def can_write_learner(principal: Principal, learner_id: str, advisees: Collection[str] = ()) -> bool:
    """Résumé, profile and sessions change only by the learner or an admin; ``advisees`` grants nothing here."""
    del advisees  # accepted so callers can pass the same arguments as to can_read_learner
    if principal.role is Role.ADMIN:
        return True
    return principal.role is Role.LEARNER and principal.user_id == learner_id


def can_delete_learner(principal: Principal, learner_id: str) -> bool:
    """Erasure is the learner's right (and an admin's duty on request), never an advisor's call."""
    return can_write_learner(principal, learner_id)


def can_manage_users(principal: Principal) -> bool:
    """Creating users, rotating others' keys and assigning advisors is for admins only."""
    return principal.role is Role.ADMIN


def can_write_brief(
    principal: Principal, learner_id: str, advisees: Collection[str], author_id: str | None = None
) -> bool:
    """Briefs are advisors' notes: written for their own advisees, or by an admin; learners only read them. An
    existing brief (``author_id`` given) is changed or deleted only by its author or an admin: another advisor
    of the same learner reads it but cannot rewrite a colleague's notes."""
    if principal.role is Role.ADMIN:
        return True
    if author_id is not None and principal.user_id != author_id:
        return False
    return principal.role is Role.ADVISOR and learner_id in advisees


def require(allowed: bool, action: str) -> None:
    """Raise ``AccessDenied`` naming the action when a rule above said no."""
    if not allowed:
        raise AccessDenied(f"not allowed to {action}")
