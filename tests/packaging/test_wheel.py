"""A wheel built from the repository carries the built-in packs, the schemas and the HTML
template, and finds the packs at run time without the source tree."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheels = list(out.glob("curriclint-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contains_packs_schemas_and_template(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for pack in sorted(p.name for p in (ROOT / "rules").glob("*.yaml")):
        assert f"curriclint/builtin_rules/{pack}" in names
    assert "curriclint/rules/pack.schema.json" in names
    assert "curriclint/report/report.schema.json" in names
    assert "curriclint/report/templates/report.html.j2" in names


def test_installed_wheel_finds_its_packs(wheel, tmp_path):
    target = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                           str(target), str(wheel)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    code = ("from curriclint.rules.loader import builtin_rules_dir, load_rules; "
            "rs = load_rules(); print(builtin_rules_dir()); print(len(rs.rules))")
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    folder, count = proc.stdout.split()
    assert Path(folder).is_relative_to(target)
    assert int(count) >= 40
