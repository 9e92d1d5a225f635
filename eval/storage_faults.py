"""The API on a real full and a real read-only file system. ``python -m eval.storage_faults`` (needs root).

It mounts a 4 MiB tmpfs, starts the app in-process with its state folder there (the real SQLite store), signs
a learner up, then fills the disk with a file until ``ENOSPC`` and sends writes: each should answer 503 in
plain words, ``/ready`` 503 with the storage check saying why, and erasure should still work. It frees the
space (writes work again, ``/ready`` 200), remounts the file system read-only (503s again, and ``/ready``
says read-only), and starts a second store on it (one line naming the folder). Prints one line per check and
exits 1 if any fails; exits 2 when the machine does not allow mounting (not root, or no mount privilege).
The unit tests (``tests/adapters/storage/test_storage_faults.py``) simulate the same SQLite error codes
everywhere; this is the real thing where it can run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from assistant.api.app import create_app
from assistant.bootstrap import Stackwise
from assistant.core.errors import DataSourceError
from assistant.settings import Settings

SIZE = "4m"


def _mount(point: Path, *options: str) -> bool:
    mount = shutil.which("mount")
    if mount is None:
        return False
    args = [mount, "-t", "tmpfs", "-o", ",".join((f"size={SIZE}", *options)), "tmpfs", str(point)]
    if options and options[0] == "remount":
        args = [mount, "-o", ",".join(options), str(point)]
    return subprocess.run(args, capture_output=True, check=False).returncode == 0


def _fill(folder: Path) -> Path:
    filler = folder / "filler.bin"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
        except OSError:
            pass
    return filler


def main() -> int:
    point = Path(tempfile.mkdtemp(prefix="stackwise-tmpfs-"))
    if os.geteuid() != 0 or not _mount(point):
        print("storage faults: cannot mount a tmpfs here (needs root and mount privilege); nothing was run")
        point.rmdir()
        return 2
    failures = 0

    def check(name: str, ok: bool, shown: object) -> None:
        nonlocal failures
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {shown}")

    state = point / "state"
    index = Settings().index_path.resolve()  # the built indexes stay where they are; only the database moves
    root = Stackwise(Settings(state_dir=state, index_dir=index, database_url=None, demo_users=False))
    try:
        with TestClient(create_app(root)) as client:
            signed_up = client.post("/v1/auth/guest", json={"display_name": "Sam"})
            if signed_up.status_code != 201:
                raise RuntimeError(f"guest sign-up answered {signed_up.status_code}: {signed_up.text[:200]}")
            issued = signed_up.json()
            headers = {"Authorization": f"Bearer {issued['api_key']}"}
            learner = issued["user"]["id"]

            def session() -> Any:
                return client.post("/v1/sessions", json={"learner_id": learner}, headers=headers)

            check("before: new session", session().status_code == 201, "201")
            filler = _fill(point)
            check("disk full: free bytes", os.statvfs(point).f_bavail < 16, os.statvfs(point).f_bavail)
            writes = [session(), client.post("/v1/auth/guest", json={"display_name": "Kim"})]
            for answer in writes:
                body = answer.json().get("detail")
                check(
                    f"disk full: {answer.request.url.path}", answer.status_code == 503, f"{answer.status_code} {body}"
                )
            ready = client.get("/ready")
            check(
                "disk full: /ready",
                ready.status_code == 503,
                f"{ready.status_code} {ready.json()['checks']['storage']}",
            )
            filler.unlink()
            check("space freed: new session", session().status_code == 201, "201")
            ready = client.get("/ready")
            check("space freed: /ready", ready.status_code == 200, f"{ready.status_code} {ready.json()['checks']}")

            _fill(point)
            erased = client.delete("/v1/learners/me", headers=headers)
            check("disk full: erasure", erased.status_code == 200, f"{erased.status_code} {erased.json()}")
            (point / "filler.bin").unlink()
            other = client.post("/v1/auth/guest", json={"display_name": "Lee"}).json()
            headers = {"Authorization": f"Bearer {other['api_key']}"}

            root.store.close()  # a file system with files open for writing cannot become read-only
            if not _mount(point, "remount", "ro"):
                check("remount read-only", False, "mount -o remount,ro failed")
            else:
                answer = client.post("/v1/sessions", json={"learner_id": other["user"]["id"]}, headers=headers)
                check(
                    "read-only: new session",
                    answer.status_code == 503,
                    f"{answer.status_code} {answer.json()['detail']}",
                )
                ready = client.get("/ready")
                check(
                    "read-only: /ready",
                    ready.status_code == 503,
                    f"{ready.status_code} {ready.json()['checks']['storage']}",
                )
                try:
                    Stackwise(Settings(state_dir=point / "new-state", database_url=None)).store  # noqa: B018
                    check("read-only: start on a new state folder", False, "started")
                except DataSourceError as exc:
                    check("read-only: start on a new state folder", "\n" not in str(exc), exc)
    finally:
        root.close()
        subprocess.run([shutil.which("umount") or "/bin/umount", str(point)], check=False)
        point.rmdir()
    print(f"storage faults: {failures} of the checks failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
