"""The ``Store`` contract: what every store keeps, refuses, orders and erases. ``SqlStore`` (SQLite and
Postgres) and the in-memory fake pass the same tests; a subclass provides the ``store`` fixture."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Protocol

import pytest

from assistant.core.access import Role
from assistant.core.errors import NotFoundError
from assistant.core.store import BriefRecord, ProfileRecord, ResumeRecord, Store, User, new_id

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


class ContractStore(Store, Protocol):
    """A store, plus the row counts the erasure tests compare before and after."""

    def count_rows(self) -> dict[str, int]: ...


def make_learner(store: Store, name: str = "Lee") -> User:
    return store.create_user(Role.LEARNER, name)[0]


def make_advisor(store: Store, name: str = "Ada") -> User:
    return store.create_user(Role.ADVISOR, name)[0]


def make_brief(learner: User, advisor: User, **changes: object) -> BriefRecord:
    values: dict[str, object] = {
        "id": new_id(),
        "learner_id": learner.id,
        "advisor_id": advisor.id,
        "title": "Next steps",
        "content_md": "# Plan",
        "notes": "private",
        "payload_json": None,
        "created_at": T0,
        "updated_at": T0,
    }
    return BriefRecord.model_validate(values | changes)


def is_utc(value: datetime) -> bool:
    return value.utcoffset() == timedelta(0)


def fill_learner(store: Store, learner: User, advisor: User, marker: str) -> None:
    """Everything a learner can have, each carrying ``marker``; the résumé spans overflow pages."""
    filler = "Led a team of analysts; built dashboards in Power BI and SQL. " * 200
    store.save_resume(
        ResumeRecord(learner_id=learner.id, filename=f"{marker}.pdf", text=filler + marker, uploaded_at=T0)
    )
    store.save_profile(ProfileRecord(learner_id=learner.id, profile_json=f'{{"n": "{marker}"}}', updated_at=T0))
    store.assign(advisor.id, learner.id)
    for n in range(2):
        session = store.create_session(learner.id, f"{marker} {n}", f'{{"s": "{marker}"}}')
        for m in range(3):
            store.add_message(session.id, "user", f"{marker} says {m}", payload_json=f'["{marker}"]')
    store.save_brief(make_brief(learner, advisor, content_md=f"About {marker}", notes=marker))


class StoreContract:
    def test_create_user_returns_a_key_that_finds_the_user(self, store: ContractStore) -> None:
        user, key = store.create_user(Role.ADVISOR, "Ada Advisor")
        assert re.fullmatch(r"sw_[A-Za-z0-9_-]{32}", key)
        assert user.role is Role.ADVISOR and user.display_name == "Ada Advisor" and is_utc(user.created_at)
        assert store.user_by_key(key) == user
        assert store.get_user(user.id) == user
        assert store.user_by_key(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
        assert store.user_by_key("not-a-key") is None
        assert store.get_user("nobody") is None

    def test_explicit_ids_are_unique_and_bounded(self, store: ContractStore) -> None:
        store.create_user(Role.ADMIN, "Root", user_id="root")
        with pytest.raises(ValueError, match="already exists"):
            store.create_user(Role.LEARNER, "Other", user_id="root")
        with pytest.raises(ValueError, match="1 to 64"):
            store.create_user(Role.LEARNER, "Long", user_id="x" * 65)
        with pytest.raises(ValueError, match="1 to 64"):
            store.create_user(Role.LEARNER, "Blank", user_id=" ")

    def test_list_users_by_role(self, store: ContractStore) -> None:
        learner, advisor = make_learner(store), make_advisor(store)
        admin = store.create_user(Role.ADMIN, "Root")[0]
        assert [u.id for u in store.list_users()] == [learner.id, advisor.id, admin.id]
        assert store.list_users(Role.ADVISOR) == [advisor]
        assert store.list_users(Role.LEARNER) == [learner]

    def test_rotate_key_retires_the_old_key(self, store: ContractStore) -> None:
        user, old = store.create_user(Role.LEARNER, "Lee")
        new = store.rotate_key(user.id)
        assert new != old
        assert store.user_by_key(old) is None
        assert store.user_by_key(new) == user
        with pytest.raises(NotFoundError):
            store.rotate_key("nobody")

    def test_assignments(self, store: ContractStore) -> None:
        ada, bo = make_advisor(store, "Ada"), make_advisor(store, "Bo")
        lee, max_ = make_learner(store, "Lee"), make_learner(store, "Max")
        store.assign(ada.id, lee.id)
        store.assign(ada.id, lee.id)  # idempotent
        store.assign(ada.id, max_.id)
        store.assign(bo.id, lee.id)
        assert store.advisees(ada.id) == sorted([lee.id, max_.id])
        assert store.advisors_of(lee.id) == sorted([ada.id, bo.id])
        assert store.unassign(ada.id, lee.id) is True
        assert store.unassign(ada.id, lee.id) is False
        assert store.advisees(ada.id) == [max_.id]
        assert store.advisees(lee.id) == []

    def test_assign_checks_users_and_roles(self, store: ContractStore) -> None:
        ada, lee = make_advisor(store), make_learner(store)
        admin = store.create_user(Role.ADMIN, "Root")[0]
        with pytest.raises(NotFoundError):
            store.assign("nobody", lee.id)
        with pytest.raises(NotFoundError):
            store.assign(ada.id, "nobody")
        with pytest.raises(ValueError, match="not a advisor"):
            store.assign(lee.id, lee.id)
        with pytest.raises(ValueError, match="not a advisor"):
            store.assign(admin.id, lee.id)
        with pytest.raises(ValueError, match="not a learner"):
            store.assign(ada.id, ada.id)

    def test_resume_is_saved_replaced_and_deleted(self, store: ContractStore) -> None:
        lee = make_learner(store)
        assert store.get_resume(lee.id) is None
        first = ResumeRecord(learner_id=lee.id, filename="cv.pdf", text="Python\n  SQL  \n", uploaded_at=T0)
        store.save_resume(first)
        assert store.get_resume(lee.id) == first  # text kept exactly, whitespace included
        second = ResumeRecord(learner_id=lee.id, filename=None, text="Rust", uploaded_at=T0 + timedelta(days=1))
        store.save_resume(second)
        assert store.get_resume(lee.id) == second
        assert store.delete_resume(lee.id) is True
        assert store.get_resume(lee.id) is None
        assert store.delete_resume(lee.id) is False

    def test_resume_and_profile_need_a_learner(self, store: ContractStore) -> None:
        ada = make_advisor(store)
        with pytest.raises(NotFoundError):
            store.save_resume(ResumeRecord(learner_id="nobody", filename=None, text="x", uploaded_at=T0))
        with pytest.raises(ValueError, match="not a learner"):
            store.save_resume(ResumeRecord(learner_id=ada.id, filename=None, text="x", uploaded_at=T0))
        with pytest.raises(NotFoundError):
            store.save_profile(ProfileRecord(learner_id="nobody", profile_json="{}", updated_at=T0))

    def test_profile_is_saved_and_replaced(self, store: ContractStore) -> None:
        lee = make_learner(store)
        assert store.get_profile(lee.id) is None
        first = ProfileRecord(learner_id=lee.id, profile_json='{"skills": []}', updated_at=T0)
        store.save_profile(first)
        assert store.get_profile(lee.id) == first
        assert first.earned_json == "[]"
        second = first.model_copy(update={"earned_json": '[{"achievement_id": "a"}]', "updated_at": T0 + timedelta(1)})
        store.save_profile(second)
        assert store.get_profile(lee.id) == second

    def test_sessions_lifecycle(self, store: ContractStore) -> None:
        lee, max_ = make_learner(store, "Lee"), make_learner(store, "Max")
        first = store.create_session(lee.id, "Data analyst?", '{"step": 1}')
        second = store.create_session(lee.id, "Nursing?", "{}")
        store.create_session(max_.id, "Other", "{}")
        assert store.get_session(first.id) == first
        assert is_utc(first.created_at) and first.created_at == first.updated_at
        assert [s.id for s in store.list_sessions(lee.id)] == [second.id, first.id]

        updated = store.update_session_state(first.id, '{"step": 2}')
        expected = ('{"step": 2}', "Data analyst?", first.created_at)
        assert (updated.state_json, updated.title, updated.created_at) == expected
        assert updated.updated_at > first.updated_at
        assert store.update_session_state(first.id, "{}", title="Renamed").title == "Renamed"
        assert [s.id for s in store.list_sessions(lee.id)] == [first.id, second.id]
        with pytest.raises(NotFoundError):
            store.update_session_state("nope", "{}")
        with pytest.raises(NotFoundError):
            store.create_session("nobody", "t", "{}")

        store.add_message(first.id, "user", "hello")
        assert store.delete_session(first.id) is True
        assert store.get_session(first.id) is None
        assert store.messages(first.id) == []
        assert store.delete_session(first.id) is False
        assert [s.id for s in store.list_sessions(lee.id)] == [second.id]
        assert store.count_rows()["messages"] == 0

    def test_messages(self, store: ContractStore) -> None:
        lee = make_learner(store)
        session = store.create_session(lee.id, "Chat", "{}")
        other = store.create_session(lee.id, "Other", "{}")
        sent = [
            store.add_message(session.id, "user", "I want to be a data analyst"),
            store.add_message(session.id, "assistant", "Here is the gap", payload_json='{"gap": []}'),
            store.add_message(session.id, "user", "  and the cost?  "),
        ]
        store.add_message(other.id, "user", "elsewhere")
        assert [m.id for m in sent] == sorted(m.id for m in sent)
        assert store.messages(session.id) == sent
        assert store.messages(session.id, limit=2) == sent[1:]
        assert store.messages(session.id, limit=10) == sent
        assert store.messages(session.id, limit=0) == []
        assert sent[1].payload_json == '{"gap": []}' and sent[2].text == "  and the cost?  "
        assert all(is_utc(m.created_at) for m in sent)
        assert store.get_session(session.id).updated_at == sent[-1].created_at  # type: ignore[union-attr]
        assert store.list_sessions(lee.id)[0].id == other.id
        with pytest.raises(ValueError, match="negative"):
            store.messages(session.id, limit=-1)
        with pytest.raises(NotFoundError):
            store.add_message("nope", "user", "x")
        with pytest.raises(ValueError, match="message role"):
            store.add_message(session.id, "system", "x")  # type: ignore[arg-type]

    def test_briefs_are_inserted_updated_listed_and_deleted(self, store: ContractStore) -> None:
        ada, bo = make_advisor(store, "Ada"), make_advisor(store, "Bo")
        lee, max_ = make_learner(store, "Lee"), make_learner(store, "Max")
        admin = store.create_user(Role.ADMIN, "Root")[0]
        first = store.save_brief(make_brief(lee, ada))
        assert store.get_brief(first.id) == first
        later = T0 + timedelta(hours=1)
        edited = store.save_brief(
            first.model_copy(update={"content_md": "# New plan", "created_at": later, "updated_at": later})
        )
        assert (edited.content_md, edited.created_at, edited.updated_at) == ("# New plan", T0, later)
        two_hours = T0 + timedelta(hours=2)
        second = store.save_brief(make_brief(max_, ada, updated_at=two_hours, payload_json='{"routes": 3}'))
        third = store.save_brief(make_brief(lee, bo))
        by_admin = store.save_brief(make_brief(lee, admin))

        assert [b.id for b in store.list_briefs()] == [second.id, edited.id, *sorted([third.id, by_admin.id])]
        assert [b.id for b in store.list_briefs(advisor_id=ada.id)] == [second.id, edited.id]
        assert {b.id for b in store.list_briefs(learner_id=lee.id)} == {edited.id, third.id, by_admin.id}
        assert store.list_briefs(learner_id=lee.id, advisor_id=ada.id) == [edited]
        assert store.get_brief(second.id).payload_json == '{"routes": 3}'  # type: ignore[union-attr]
        assert store.delete_brief(third.id) is True
        assert store.delete_brief(third.id) is False
        assert store.get_brief(third.id) is None

    def test_brief_checks_its_people(self, store: ContractStore) -> None:
        ada, lee, max_ = make_advisor(store), make_learner(store, "Lee"), make_learner(store, "Max")
        with pytest.raises(ValueError, match="not a advisor or admin"):
            store.save_brief(make_brief(lee, max_))
        with pytest.raises(ValueError, match="not a learner"):
            store.save_brief(make_brief(ada, ada))
        with pytest.raises(NotFoundError):
            store.save_brief(make_brief(lee, ada).model_copy(update={"advisor_id": "nobody"}))
        saved = store.save_brief(make_brief(lee, ada))
        with pytest.raises(ValueError, match="another learner"):
            store.save_brief(saved.model_copy(update={"learner_id": max_.id}))
        assert store.get_brief(saved.id) == saved

    def test_delete_learner_reports_and_removes_everything(self, store: ContractStore) -> None:
        ada = make_advisor(store)
        lee, key = store.create_user(Role.LEARNER, "Lee")
        keep = make_learner(store, "Keep")
        fill_learner(store, lee, ada, "erase-me")
        fill_learner(store, keep, ada, "keep-me")
        before = store.count_rows()

        report = store.delete_learner(lee.id)

        assert report.model_dump() == {
            "learner_id": lee.id,
            "resumes": 1,
            "profiles": 1,
            "sessions": 2,
            "messages": 6,
            "briefs": 1,
            "assignments": 1,
        }
        after = store.count_rows()
        assert {name: before[name] - after[name] for name in before} == {
            "users": 1,
            "assignments": 1,
            "briefs": 1,
            "profiles": 1,
            "resumes": 1,
            "sessions": 2,
            "messages": 6,
        }
        assert store.get_user(lee.id) is None and store.user_by_key(key) is None
        assert store.get_resume(lee.id) is None and store.get_profile(lee.id) is None
        assert store.list_sessions(lee.id) == [] and store.list_briefs(learner_id=lee.id) == []
        assert store.advisees(ada.id) == [keep.id] and store.get_user(ada.id) == ada
        assert store.get_resume(keep.id) is not None and len(store.list_sessions(keep.id)) == 2
        with pytest.raises(NotFoundError):
            store.delete_learner(lee.id)
        with pytest.raises(ValueError, match="not a learner"):
            store.delete_learner(ada.id)

    def test_a_learner_with_nothing_stored_is_deleted_with_zero_counts(self, store: ContractStore) -> None:
        lee = make_learner(store)
        report = store.delete_learner(lee.id)
        assert (report.resumes, report.profiles, report.sessions, report.messages, report.briefs) == (0, 0, 0, 0, 0)
        assert store.get_user(lee.id) is None
