"""Any run id and name, however hostile, stays inside the store and comes back unchanged."""

from __future__ import annotations

import asyncio
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testrelay.artifacts import ArtifactHandler

names = st.text(min_size=1, max_size=300).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(run=names, name=names)
def test_any_run_id_and_name_round_trip_inside_the_store(tmp_path_factory, run, name):
    base = tmp_path_factory.mktemp("prop")
    source = base / "source.bin"
    source.write_bytes(b"content")
    handler = ArtifactHandler(base / "store")
    ok, meta = asyncio.run(handler.upload_artifact(str(source), name, "file", run))
    assert ok and (meta.name, meta.test_run_id) == (name, run)
    assert handler.get_artifact_by_name(run, name) == meta
    written = {p.resolve() for p in base.rglob("*") if p.is_file()} - {source.resolve()}
    assert all(p.is_relative_to((base / "store").resolve()) and len(p.name) <= 255 for p in written)
    assert Path(meta.local_path).read_bytes() == b"content"
