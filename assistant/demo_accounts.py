"""Demo accounts for a local start: an admin, an advisor with two advisees, and an alumna.

Created once per state folder (their keys go to ``demo_keys.json``, readable by the owner only), with
the bundled sample résumés read by the real linker, so every page has real data on first start.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from assistant.bootstrap import Stackwise
from assistant.core.access import Role
from assistant.core.store import ResumeRecord, Store, utcnow

SAMPLES = Path(__file__).resolve().parent / "samples"
ADVISEES = (("Maya Okafor", "data_analyst.txt"), ("Sam Rivera", "welder.txt"))
ALUMNI = ("Jordan Lee", "nursing_assistant.txt", ("LPC-PC-140",))


def keys_path(service: Stackwise) -> Path:
    return service.settings.state_dir / "demo_keys.json"


def ensure_demo_accounts(service: Stackwise) -> Path:
    """Create the demo accounts unless the keys file says they exist; returns the keys file."""
    store = service.store
    path = keys_path(service)
    if path.is_file():
        known = json.loads(path.read_text(encoding="utf-8"))
        if store.user_by_key(known.get("admin", "")) is not None:
            return path
    _, admin_key = store.create_user(Role.ADMIN, "Demo administrator")
    advisor, advisor_key = store.create_user(Role.ADVISOR, "Dana Advisor")
    learners: dict[str, str] = {}
    for name, sample in ADVISEES:
        learner, key = store.create_user(Role.LEARNER, name)
        _load(service, store, learner.id, SAMPLES / sample)
        store.assign(advisor.id, learner.id)
        learners[name] = key
    name, sample, held = ALUMNI
    alumna, key = store.create_user(Role.LEARNER, name)
    _load(service, store, alumna.id, SAMPLES / sample, held=held)
    learners[name] = key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"admin": admin_key, "advisor": advisor_key, "learners": learners}, indent=2))
    os.chmod(path, 0o600)
    return path


def _load(service: Stackwise, store: Store, learner_id: str, resume: Path, held: tuple[str, ...] = ()) -> None:
    text = resume.read_text(encoding="utf-8")
    profile = service.reader.profile_from_text(text).model_copy(
        update={"earned_credentials": tuple(h for h in held if h in service.catalog)}
    )
    store.save_resume(ResumeRecord(learner_id=learner_id, filename=resume.name, text=text, uploaded_at=utcnow()))
    service.learners.save(learner_id, profile, ())
