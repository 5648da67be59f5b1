"""The container action, built and run for real, the way the GitHub runner runs a Docker action.

No image can be pulled here, so the test brings its own: a private dockerd (dockerd.sh), a Debian
bookworm root filesystem with python3 imported as `python:3.11-slim` (base_image.sh), then
`docker build` of the project's Dockerfile and `docker run` with the runner's mounts and variables.
The outputs are compared with `testrelay run` run directly on the same inputs.

Cold (nothing cached): apt install + debootstrap + build, a few minutes. Warm: the daemon's data
root under the cache keeps the base image and the build cache, so only changed layers rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from filelock import FileLock, Timeout
from lxml import etree

from testrelay.config_options import BY_NAME

pytestmark = pytest.mark.docker

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = Path(os.environ.get("TESTRELAY_CONTAINER_CACHE") or Path.home() / ".cache" / "testrelay-container")
BASE_IMAGE = "python:3.11-slim"
IMAGE = "testrelay:test"
TOKEN = "ghs_containertest0000000000000000000000"  # stands for ${{ github.token }}; must never be written out
SHA = "0123456789abcdef0123456789abcdef01234567"

# The step under test:  - uses: ./   with: {files: results/**/*.xml, provider: local, title: ...}
STEP_WITH = {"files": "results/**/*.xml", "provider": "local", "title": "Container test results"}

UNIT_XML = """<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="com.example.CartTest" tests="4" failures="1" errors="0" skipped="1" time="0.412"
           timestamp="2026-11-26T10:02:11" hostname="runner">
  <testcase name="addsItem" classname="com.example.CartTest" time="0.101"/>
  <testcase name="removesItem" classname="com.example.CartTest" time="0.093"/>
  <testcase name="appliesCoupon" classname="com.example.CartTest" time="0.210">
    <failure message="expected: &lt;90&gt; but was: &lt;100&gt;" type="org.opentest4j.AssertionFailedError">
org.opentest4j.AssertionFailedError: expected: &lt;90&gt; but was: &lt;100&gt;
    at com.example.CartTest.appliesCoupon(CartTest.java:41)
    </failure>
  </testcase>
  <testcase name="shipsAbroad" classname="com.example.CartTest" time="0.008">
    <skipped message="needs the shipping sandbox"/>
  </testcase>
</testsuite>
"""

INTEGRATION_XML = """<?xml version="1.0" encoding="utf-8"?>
<testsuites name="pytest tests">
  <testsuite name="pytest" errors="1" failures="0" skipped="0" tests="3" time="1.530"
             timestamp="2026-11-26T10:03:40.512001+00:00" hostname="runner">
    <testcase classname="tests.test_checkout" name="test_checkout_total" file="tests/test_checkout.py"
              line="14" time="0.640"/>
    <testcase classname="tests.test_checkout" name="test_receipt_email" file="tests/test_checkout.py"
              line="29" time="0.410"/>
    <testcase classname="tests.test_checkout" name="test_payment_gateway" file="tests/test_checkout.py"
              line="52" time="0.480">
      <error message="failed on setup with &quot;ConnectionRefusedError: [Errno 111]&quot;">
E   ConnectionRefusedError: [Errno 111] Connection refused
      </error>
    </testcase>
  </testsuite>
</testsuites>
"""

RESULT_FILES = {
    "results/unit/TEST-com.example.CartTest.xml": UNIT_XML,
    "results/integration/junit.xml": INTEGRATION_XML,
}


# ---------------------------------------------------------------------------------------------
# The daemon, the base image and the build (once per module).


@dataclass
class Docker:
    host: str
    cli: str
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __call__(
        self, *args: str, timeout: float = 600, check: bool = True, extra_env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        # The classic builder: the one GitHub's runner and older engines use for an action's Dockerfile.
        env = {**os.environ, "DOCKER_HOST": self.host, "DOCKER_BUILDKIT": "0", **(extra_env or {})}
        proc = subprocess.run([self.cli, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False)
        if check and proc.returncode != 0:
            pytest.fail(
                f"docker {' '.join(args[:2])} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
            )
        return proc


def docker_cli() -> str | None:
    # Debian's client matches Debian's daemon; any other client on PATH negotiates the API version down.
    return "/usr/bin/docker" if os.access("/usr/bin/docker", os.X_OK) else shutil.which("docker")


def base_key() -> str:
    """Changes when the recipe or this machine's pip settings change, so a stale base is rebuilt."""
    digest = hashlib.sha256()
    for script in ("base_image.sh", "pip_settings.py"):
        digest.update((HERE / script).read_bytes())
    pip = [sys.executable, "-m", "pip"]
    settings = subprocess.run([sys.executable, str(HERE / "pip_settings.py"), *pip], capture_output=True, text=True)
    digest.update(settings.stdout.encode())
    return digest.hexdigest()[:16]


def timed(timings: dict[str, float], step: str):
    class _Timer:
        def __enter__(self) -> None:
            self.start = time.monotonic()

        def __exit__(self, *exc: object) -> None:
            timings[step] = time.monotonic() - self.start

    return _Timer()


def ensure_base_image(docker: Docker) -> None:
    key = base_key()
    marker = CACHE / "base-image.key"
    present = docker("image", "inspect", BASE_IMAGE, check=False).returncode == 0
    if present and marker.is_file() and marker.read_text().strip() == key:
        return
    tarball = CACHE / f"base-bookworm-{key}.tar"
    if not tarball.is_file():
        for old in CACHE.glob("base-bookworm-*.tar"):
            old.unlink()
        with timed(docker.timings, "debootstrap base rootfs"):
            proc = subprocess.run(
                [str(HERE / "base_image.sh"), str(tarball)], capture_output=True, text=True, timeout=1200, check=False
            )
        if proc.returncode != 0:
            pytest.skip(f"cannot build the base image (debootstrap): {proc.stderr.strip()[-500:]}")
    with timed(docker.timings, "docker import base"):
        docker(
            "import",
            "--change", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "--change", "ENV LANG=C.UTF-8",
            "--change", 'CMD ["python3"]',
            str(tarball),
            BASE_IMAGE,
        )  # fmt: skip
    marker.write_text(key + "\n")


@pytest.fixture(scope="module")
def docker(request: pytest.FixtureRequest) -> Iterator[Docker]:
    if not sys.platform.startswith("linux"):
        pytest.skip("the container test needs Linux")
    timings: dict[str, float] = {}
    if not (shutil.which("dockerd") and shutil.which("debootstrap")):
        with timed(timings, "install docker.io and debootstrap"):
            proc = subprocess.run([str(HERE / "setup.sh")], capture_output=True, text=True, timeout=900, check=False)
        if proc.returncode != 0:
            pytest.skip(f"docker.io/debootstrap not installable: {proc.stderr.strip()[-300:]}")
    cli = docker_cli()
    if cli is None:
        pytest.skip("no docker client after installing docker.io")
    CACHE.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(CACHE / "lock"))
    try:
        lock.acquire(timeout=900)  # another run of this test holds the daemon's data root
    except Timeout:
        pytest.skip(f"{CACHE} stayed locked by another container test for 15 minutes")
    try:
        with timed(timings, "start dockerd"):
            proc = subprocess.run(
                [str(HERE / "dockerd.sh"), "start", str(CACHE)], capture_output=True, text=True, timeout=60, check=False
            )
        if proc.returncode != 0:
            pytest.skip(f"dockerd cannot start here: {proc.stderr.strip()[-500:]}")
        client = Docker(host=proc.stdout.strip(), cli=cli, timings=timings)
        try:
            ensure_base_image(client)
            with timed(timings, "docker build"):
                client("build", "--network", "host", "-t", IMAGE, str(ROOT), timeout=900)
            # Superseded layers of earlier builds; recent ones stay as the build cache.
            client("image", "prune", "-f", "--filter", "until=72h", check=False)
            yield client
        finally:
            with timed(timings, "stop dockerd"):
                subprocess.run([str(HERE / "dockerd.sh"), "stop", str(CACHE)], capture_output=True, timeout=60)
            report_timings(request, timings, client.notes)
    finally:
        lock.release()


def report_timings(request: pytest.FixtureRequest, timings: dict[str, float], notes: list[str]) -> None:
    lines = [f"container test: {step}: {seconds:.1f} s" for step, seconds in timings.items()]
    lines += [f"container test: {note}" for note in notes]
    (CACHE / "last-timings.txt").write_text("\n".join(lines) + "\n")
    # Printed in the terminal summary by this folder's conftest.py.
    request.config.testrelay_container_timings = lines  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# What the runner hands a Docker action.


def action_inputs() -> dict[str, str]:
    """INPUT_* as the runner sets them: every declared input, its default unless the step gives a value."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    values = {}
    for name, spec in action["inputs"].items():
        value = str(spec.get("default", ""))
        value = value.replace("${{ github.token }}", TOKEN)
        values[name] = STEP_WITH.get(name, value)
    # The runner upper-cases the name and replaces spaces, keeping hyphens.
    return {f"INPUT_{name.replace(' ', '_').upper()}": value for name, value in values.items()}


def github_env(workspace: str, home: str, workflow: str, commands: str, ids: dict[str, str]) -> dict[str, str]:
    return {
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "HOME": home,
        "GITHUB_WORKSPACE": workspace,
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_EVENT_PATH": f"{workflow}/event.json",
        "GITHUB_OUTPUT": f"{commands}/set_output_{ids['output']}",
        "GITHUB_STEP_SUMMARY": f"{commands}/step_summary_{ids['summary']}",
        "GITHUB_ENV": f"{commands}/set_env_{ids['env']}",
        "GITHUB_PATH": f"{commands}/add_path_{ids['path']}",
        "GITHUB_STATE": f"{commands}/save_state_{ids['state']}",
        "GITHUB_REPOSITORY": "octo-org/shop",
        "GITHUB_REPOSITORY_OWNER": "octo-org",
        "GITHUB_SHA": SHA,
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_REF_NAME": "main",
        "GITHUB_REF_TYPE": "branch",
        "GITHUB_HEAD_REF": "",
        "GITHUB_BASE_REF": "",
        "GITHUB_RUN_ID": "7301234567",
        "GITHUB_RUN_NUMBER": "42",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_JOB": "test",
        "GITHUB_WORKFLOW": "CI",
        "GITHUB_ACTION": "testrelay",
        "GITHUB_ACTOR": "octocat",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_API_URL": "https://api.github.com",
        "GITHUB_GRAPHQL_URL": "https://api.github.com/graphql",
        "RUNNER_OS": "Linux",
        "RUNNER_ARCH": "X64",
        "RUNNER_NAME": "GitHub Actions 2",
        "RUNNER_ENVIRONMENT": "github-hosted",
    }


PUSH_EVENT = {
    "ref": "refs/heads/main",
    "before": "fedcba9876543210fedcba9876543210fedcba98",
    "after": SHA,
    "repository": {"full_name": "octo-org/shop", "name": "shop", "owner": {"login": "octo-org"}},
    "head_commit": {"id": SHA, "message": "Apply coupons before tax"},
    "pusher": {"name": "octocat"},
}


@dataclass
class Runner:
    """The runner's folders for one job: workspace, home, workflow (event payload), file commands."""

    root: Path
    ids: dict[str, str]

    @classmethod
    def make(cls, root: Path) -> Runner:
        for sub in ("workspace", "home", "workflow", "file_commands"):
            (root / sub).mkdir(parents=True)
        for rel, text in RESULT_FILES.items():
            path = root / "workspace" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (root / "workflow" / "event.json").write_text(json.dumps(PUSH_EVENT), encoding="utf-8")
        ids = {k: str(uuid.uuid4()) for k in ("output", "summary", "env", "path", "state")}
        runner = cls(root, ids)
        for var in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STATE"):
            Path(runner.host_env()[var]).touch()  # the runner creates them empty before the step
        return runner

    def host_env(self) -> dict[str, str]:
        r = self.root
        return github_env(
            str(r / "workspace"), str(r / "home"), str(r / "workflow"), str(r / "file_commands"), self.ids
        )

    def container_env(self) -> dict[str, str]:
        return github_env("/github/workspace", "/github/home", "/github/workflow", "/github/file_commands", self.ids)

    def mounts(self) -> list[str]:
        r = self.root
        return [
            "-v", f"{r / 'home'}:/github/home",
            "-v", f"{r / 'workflow'}:/github/workflow",
            "-v", f"{r / 'file_commands'}:/github/file_commands",
            "-v", f"{r / 'workspace'}:/github/workspace",
        ]  # fmt: skip

    def file_command(self, var: str) -> str:
        return Path(self.host_env()[var]).read_text(encoding="utf-8")

    @property
    def output_dir(self) -> Path:
        # An input left empty means the option's default, as testrelay reads it.
        return self.root / "workspace" / (action_inputs()["INPUT_OUTPUT_DIR"] or BY_NAME["output_dir"].default)


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str
    runner: Runner


def run_in_container(docker: Docker, runner: Runner) -> Outcome:
    env = {**action_inputs(), **runner.container_env()}
    args = ["run", "--rm", "--network", "none", "--workdir", "/github/workspace"]
    for name in env:
        args += ["-e", name]  # values travel in the client's environment, as the runner passes them
    args += [*runner.mounts(), IMAGE]
    proc = docker(*args, check=False, timeout=120, extra_env=env)
    return Outcome(proc.returncode, proc.stdout, proc.stderr, runner)


def run_directly(runner: Runner) -> Outcome:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    env |= action_inputs() | runner.host_env()
    proc = subprocess.run(
        [sys.executable, "-m", "testrelay", "run"],
        cwd=runner.root / "workspace",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return Outcome(proc.returncode, proc.stdout, proc.stderr, runner)


# ---------------------------------------------------------------------------------------------
# Reading what a run left behind.


def step_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT in both of its forms: `name=value` and `name<<DELIMITER ... DELIMITER`."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            else:
                raise AssertionError(f"GITHUB_OUTPUT: {name} never closed by {delimiter}")
            outputs[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs


def expected_totals() -> dict[str, int]:
    """Counted from the result files themselves."""
    counts = dict.fromkeys(("tests", "passed", "failed", "errors", "skipped"), 0)
    for text in RESULT_FILES.values():
        root = etree.fromstring(text.encode())
        for case in root.iter("testcase"):
            counts["tests"] += 1
            kinds = {child.tag for child in case}
            if "failure" in kinds:
                counts["failed"] += 1
            elif "error" in kinds:
                counts["errors"] += 1
            elif "skipped" in kinds:
                counts["skipped"] += 1
            else:
                counts["passed"] += 1
    return counts


def totals_of(document: dict) -> dict[str, int]:
    # report.json nests the results document under "results"; the json output is the totals alone.
    source = document.get("results", document)
    return {key: source[key] for key in expected_totals()}


# Times and the runner's folders differ between two runs of the same inputs; nothing else may.
VOLATILE = [
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d| UTC)?"), "<time>"),
    (re.compile(r"testrelay_[0-9a-f]{16}"), "<delimiter>"),
]


def normalized(text: str, runner: Runner, in_container: bool) -> str:
    roots = (
        [("/github/workspace", "<workspace>"), ("/github/file_commands", "<commands>")]
        if in_container
        else [(str(runner.root / "workspace"), "<workspace>"), (str(runner.root / "file_commands"), "<commands>")]
    )
    for path, tag in roots:
        text = text.replace(Path(path).as_uri(), tag).replace(path, tag)
    for pattern, tag in VOLATILE:
        text = pattern.sub(tag, text)
    return text


# ---------------------------------------------------------------------------------------------
# The tests.


@pytest.fixture(scope="module")
def container_run(docker: Docker, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    runner = Runner.make(tmp_path_factory.mktemp("container"))
    start = time.monotonic()
    outcome = run_in_container(docker, runner)
    docker.timings["docker run"] = time.monotonic() - start
    return outcome


@pytest.fixture(scope="module")
def direct_run(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    return run_directly(Runner.make(tmp_path_factory.mktemp("direct")))


def test_image_is_small_and_runs_as_an_action(docker: Docker) -> None:
    inspect = json.loads(docker("image", "inspect", IMAGE).stdout)[0]
    assert inspect["Config"]["Entrypoint"] == ["/entrypoint"]
    assert inspect["Config"]["WorkingDir"] == "/github/workspace"
    size_mb = inspect["Size"] / 1e6
    base_mb = json.loads(docker("image", "inspect", BASE_IMAGE).stdout)[0]["Size"] / 1e6
    docker.notes.append(f"image {IMAGE}: {size_mb:.0f} MB ({size_mb - base_mb:.0f} MB over the {base_mb:.0f} MB base)")
    # testrelay and its pinned dependencies, nothing else: no compiler, no pip cache, no sources.
    assert size_mb - base_mb < 60, f"the image adds {size_mb - base_mb:.0f} MB to its base"
    probe = docker(
        "run", "--rm", "--network", "none", "--entrypoint", "sh", IMAGE, "-c",
        "testrelay --version; command -v gcc cc make || true; ls /root/.cache/pip 2>/dev/null | wc -l; "
        "ls /usr/src/testrelay",
    ).stdout.split("\n")  # fmt: skip
    assert probe[0].startswith("testrelay ")
    assert probe[1] == "0", f"unexpected build tools or pip cache in the image: {probe}"
    assert not any(name.endswith((".py", ".toml")) for name in probe[2:]), "source files left in the image"


def test_container_exit_code_follows_fail_on(container_run: Outcome) -> None:
    # The step keeps fail_on's default (failures) and the results hold a failure: the step fails.
    assert container_run.returncode == 1, container_run.stderr
    assert "Traceback" not in container_run.stderr


def test_container_writes_the_report_files(container_run: Outcome) -> None:
    out = container_run.runner.output_dir
    for name in ("report.md", "comment.md", "report.json"):
        assert (out / name).is_file(), f"{name} missing in {out}: {sorted(p.name for p in out.iterdir())}"
    document = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert totals_of(document) == expected_totals()
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert "appliesCoupon" in comment
    assert "test_payment_gateway" in comment


def test_container_writes_the_job_summary(container_run: Outcome) -> None:
    summary = container_run.runner.file_command("GITHUB_STEP_SUMMARY")
    assert summary.strip(), "the step summary is empty"
    assert "appliesCoupon" in summary


def test_container_sets_the_json_output(container_run: Outcome) -> None:
    outputs = step_outputs(container_run.runner.file_command("GITHUB_OUTPUT"))
    assert "json" in outputs, outputs
    assert totals_of(json.loads(outputs["json"])) == expected_totals()
    expected = expected_totals()
    assert outputs.get("conclusion") == ("failure" if expected["failed"] + expected["errors"] else "success")
    declared = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["outputs"]
    assert set(outputs) <= set(declared), (
        f"outputs written but not declared in action.yml: {set(outputs) - set(declared)}"
    )


def test_container_never_writes_the_token(container_run: Outcome) -> None:
    runner = container_run.runner
    texts = [container_run.stdout, container_run.stderr]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in runner.root.rglob("*") if p.is_file()]
    assert not [t for t in texts if TOKEN in t]


def test_container_matches_a_direct_run(container_run: Outcome, direct_run: Outcome) -> None:
    assert container_run.returncode == direct_run.returncode, (container_run.stderr, direct_run.stderr)
    for name in ("report.md", "comment.md", "report.json"):
        inside = (container_run.runner.output_dir / name).read_text(encoding="utf-8")
        outside = (direct_run.runner.output_dir / name).read_text(encoding="utf-8")
        assert normalized(inside, container_run.runner, True) == normalized(outside, direct_run.runner, False), name
    for var in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"):
        inside = container_run.runner.file_command(var)
        outside = direct_run.runner.file_command(var)
        assert normalized(inside, container_run.runner, True) == normalized(outside, direct_run.runner, False), var


def test_report_path_output_names_the_file_for_the_next_step(container_run: Outcome) -> None:
    # Later steps run on the host, where the workspace is GITHUB_WORKSPACE, not the container's /github/workspace.
    outputs = step_outputs(container_run.runner.file_command("GITHUB_OUTPUT"))
    workspace = container_run.runner.root / "workspace"
    assert (workspace / outputs["report_path"]).is_file(), outputs["report_path"]
