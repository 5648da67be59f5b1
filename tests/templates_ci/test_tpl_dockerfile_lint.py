"""The Dockerfile every template runs, through hadolint (which also shellchecks its RUN lines)."""

from __future__ import annotations

from templates_ci.tools import ROOT, run_tool


def test_hadolint_passes_the_dockerfile():
    proc = run_tool("hadolint", ["--no-color", ROOT / "Dockerfile"])
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hadolint_refuses_a_latest_base_image(tmp_path):
    # Proof that hadolint reads the file: an unpinned base image is one of its errors.
    broken = tmp_path / "Dockerfile"
    broken.write_text("FROM python:latest\nRUN pip install testrelay\n", encoding="utf-8")
    proc = run_tool("hadolint", ["--no-color", broken])
    assert proc.returncode == 1
    assert "DL3007" in proc.stdout
