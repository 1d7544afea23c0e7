"""A correct solution never fails because of where the libraries live.

The guard tells library code from the submission's by where it was imported from. It
trusts what was importable before the submission was loaded — every `sys.path` folder
(a `.pth` file's, the user site's, `PYTHONPATH`'s) — not a guess at where site-packages
are. Before, a kit whose packages were reachable through such a folder scored 3/19 on
ex3's reference: torch's, pytest's and hypothesis' own frame reads were blamed on the
submission."""

from __future__ import annotations

import sysconfig
from pathlib import Path

from helpers import grade_json

from grader.isolation.guard import Guard, trusted_roots

# the libraries that read frames or patch themselves while a check runs
MOVED = ("torch", "numpy", "pytest", "_pytest", "hypothesis", "pluggy")


def test_reference_gets_full_marks_with_libraries_outside_site_packages(tmp_path: Path) -> None:
    libs = tmp_path / "libs"
    libs.mkdir()
    site_packages = Path(sysconfig.get_paths()["purelib"])
    for name in MOVED:  # PYTHONPATH comes before site-packages: these are imported from here
        (libs / name).symlink_to(site_packages / name, target_is_directory=True)
    _, report = grade_json("ex3", "--reference", env={"PYTHONPATH": str(libs), "GRADE_CHECK_JOBS": "1"})
    failing = [(c["name"], c["message"]) for e in report["exercises"] for c in e["checks"] if c["status"] != "passed"]
    assert not failing, failing[:2]
    assert report["score"] == report["max_score"] > 0


def test_a_folder_holding_the_submission_or_inside_it_is_never_trusted(tmp_path: Path) -> None:
    submission = tmp_path / "student"
    inside = submission / "lib"
    inside.mkdir(parents=True)
    library = tmp_path / "elsewhere"
    library.mkdir()
    trusted = tuple(f"{p}/" for p in (tmp_path, submission, inside, library))
    guard = Guard(submission=str(submission), protected=[], trusted=trusted, ancestors=set(), baseline=None)
    assert guard.trusted == (f"{library}/",)


def test_every_import_folder_is_trusted_and_the_root_never(tmp_path: Path, monkeypatch) -> None:
    extra = tmp_path / "pth_folder"
    extra.mkdir()
    monkeypatch.syspath_prepend(str(extra))
    monkeypatch.syspath_prepend("/")
    roots = trusted_roots(str(tmp_path / "kit"))
    assert f"{extra}/" in roots
    assert f"{Path(sysconfig.get_paths()['purelib'])}/" in roots
    assert "/" not in roots
