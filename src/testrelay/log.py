"""CI-aware log output, in one place: folding groups, file annotations, secret masking.

GitHub Actions reads workflow commands (`::group::`, `::error file=...::`), GitLab collapsible
sections (`section_start:`), Azure Pipelines logging commands (`##[group]`, `##vso[...]`); Jenkins
and a terminal get plain lines. `RedactingFilter` keeps every registered secret out of log records.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO
from urllib.parse import quote

LEVELS = ("error", "warning", "notice")
REDACTED = "***"
# Shorter strings would blank out ordinary words all over the log; no real token is this short.
MIN_SECRET_LENGTH = 4

# GitHub shows at most 10 error and 10 warning annotations per step and 50 per job; the rest vanish
# silently, so we stop at the cap and say how many were left out.
GITHUB_STEP_CAP = 10
GITHUB_JOB_CAP = 50


# ---- escaping -----------------------------------------------------------------------------------


def github_data(text: str) -> str:
    """Escape a workflow-command message (after `::`)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """Escape a workflow-command property value (`file=...,line=...`): also `:` and `,`."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def azure_data(text: str) -> str:
    """Escape an Azure logging-command message; the agent decodes `%AZP25` back to `%`."""
    return text.replace("%", "%AZP25").replace("\r", "%0D").replace("\n", "%0A")


def azure_property(text: str) -> str:
    """Escape an Azure logging-command property value: also `;` and `]`, which end it."""
    return azure_data(text).replace(";", "%3B").replace("]", "%5D")


# ---- secrets ------------------------------------------------------------------------------------


class Secrets:
    """The set of strings that must never reach the log, with the forms they take in URLs."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str | None) -> bool:
        if not secret or len(secret) < MIN_SECRET_LENGTH:
            return False
        with self._lock:
            self._values.update({secret, quote(secret, safe="")})
        return True

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def redact(self, text: str) -> str:
        # Longest first, so a secret that contains another is replaced whole.
        for value in sorted(self._values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, REDACTED)
        return text

    def __bool__(self) -> bool:
        return bool(self._values)


SECRETS = Secrets()


class RedactingFilter(logging.Filter):
    """Replaces every registered secret in a record's message, arguments, traceback and stack."""

    def __init__(self, secrets: Secrets = SECRETS) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        redacted = self.secrets.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.secrets.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.secrets.redact(record.stack_info)
        return True


def install_redaction(logger: logging.Logger | None = None, secrets: Secrets = SECRETS) -> RedactingFilter:
    """Attach one RedactingFilter to `logger` (default: root) and its handlers; safe to call again.

    Handler filters matter: records from child loggers reach the root's handlers without passing the
    root logger's own filters.
    """
    target = logger or logging.getLogger()
    existing = next((f for f in target.filters if isinstance(f, RedactingFilter)), None)
    flt = existing or RedactingFilter(secrets)
    if existing is None:
        target.addFilter(flt)
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(flt)
    return flt


# ---- the CI-aware writer ------------------------------------------------------------------------


def provider_from_env(env: Mapping[str, str]) -> str:
    """Which log dialect to speak; a light check, the full detection lives in testrelay.ci."""
    if env.get("GITHUB_ACTIONS", "").lower() == "true":
        return "github"
    if env.get("GITLAB_CI", "").lower() == "true":
        return "gitlab"
    if env.get("TF_BUILD", "").lower() == "true":
        return "azure"
    if env.get("JENKINS_URL"):
        return "jenkins"
    return "local"


class CILog:
    """Writes groups, annotations and mask commands in the dialect of one CI."""

    def __init__(
        self,
        provider: str = "local",
        stream: TextIO | None = None,
        *,
        secrets: Secrets = SECRETS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.provider = provider
        self._stream = stream
        self.secrets = secrets
        self.clock = clock
        self.depth = 0
        self.sections = 0
        self.shown: dict[str, int] = dict.fromkeys(LEVELS, 0)
        self.dropped = 0

    @property
    def stream(self) -> TextIO:
        # Looked up late so a redirected sys.stdout (tests, rich) is honoured.
        return self._stream or sys.stdout

    def write(self, line: str) -> None:
        self.stream.write(self.secrets.redact(line) + "\n")
        self.stream.flush()

    # -- groups --

    @contextmanager
    def group(self, title: str) -> Iterator[None]:
        """A foldable block of log lines; nested groups fold only on GitLab, elsewhere they are headings."""
        end = self._open(title)
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if end is not None:
                self.write(end)

    def _open(self, title: str) -> str | None:
        title = " ".join(title.splitlines()) or "-"
        nested = self.depth > 0
        if self.provider == "github" and not nested:
            self.write(f"::group::{github_data(title)}")
            return "::endgroup::"
        if self.provider == "azure" and not nested:
            self.write(f"##[group]{title}")
            return "##[endgroup]"
        if self.provider == "gitlab":
            self.sections += 1
            name = re.sub(r"[^a-z0-9_.-]+", "_", title.lower()).strip("_")[:40] or "section"
            name = f"testrelay_{self.sections}_{name}"
            self.write(f"\x1b[0Ksection_start:{int(self.clock())}:{name}[collapsed=true]\r\x1b[0K{title}")
            return f"\x1b[0Ksection_end:{int(self.clock())}:{name}\r\x1b[0K"
        self.write(title)
        return None

    # -- annotations --

    def annotate(
        self,
        level: str,
        message: str,
        file: str | None = None,
        line: int | None = None,
        title: str | None = None,
    ) -> bool:
        """Point at a file and line; returns False when GitHub's cap left the annotation out."""
        if level not in LEVELS:
            raise ValueError(f"annotation level must be one of {', '.join(LEVELS)}, not {level!r}")
        if self.provider == "github":
            if self.shown[level] >= GITHUB_STEP_CAP or sum(self.shown.values()) >= GITHUB_JOB_CAP:
                self.dropped += 1
                return False
            self.shown[level] += 1
            props = [
                f"{k}={github_property(str(v))}" for k, v in (("file", file), ("line", line), ("title", title)) if v
            ]
            head = f"::{level} {','.join(props)}" if props else f"::{level}"
            self.write(f"{head}::{github_data(message)}")
            return True
        self.shown[level] += 1
        text = f"{title}: {message}" if title else message
        if self.provider == "azure" and level != "notice":
            props = [f"type={level}"]
            if file:
                props.append(f"sourcepath={azure_property(file)}")
            if line:
                props.append(f"linenumber={line}")
            self.write(f"##vso[task.logissue {';'.join(props)}]{azure_data(text)}")
            return True
        where = f"{file}:{line}: " if file and line else f"{file}: " if file else ""
        self.write(f"{level}: {where}{text}")
        return True

    def finish(self) -> None:
        """Say once how many annotations the cap left out; call at the end of the step."""
        if self.dropped:
            self.write(
                f"{self.dropped} more annotation{'s' if self.dropped != 1 else ''} not shown "
                f"(GitHub shows {GITHUB_STEP_CAP} errors and {GITHUB_STEP_CAP} warnings per step); "
                "the report lists them all"
            )
            self.dropped = 0

    # -- secrets --

    def mask(self, secret: str | None) -> None:
        """Keep `secret` out of this process's log records and out of the CI's own log."""
        if not secret or not self.secrets.add(secret):
            return
        lines = [part for part in secret.splitlines() if len(part) >= MIN_SECRET_LENGTH]
        for part in lines:
            self.secrets.add(part)
            # Written straight to the stream: write() would redact the very value the CI must learn.
            if self.provider == "github":
                self.stream.write(f"::add-mask::{github_data(part)}\n")
            elif self.provider == "azure":
                self.stream.write(f"##vso[task.setsecret]{azure_data(part)}\n")
        self.stream.flush()


_current: CILog | None = None
_current_lock = threading.Lock()


def configure(provider: str | None = None, stream: TextIO | None = None) -> CILog:
    """Set the process-wide writer; provider defaults to what the environment says."""
    global _current
    with _current_lock:
        _current = CILog(provider or provider_from_env(os.environ), stream)
        return _current


def current() -> CILog:
    return _current or configure()


@contextmanager
def group(title: str) -> Iterator[None]:
    with current().group(title):
        yield


def annotate(
    level: str, message: str, file: str | None = None, line: int | None = None, title: str | None = None
) -> bool:
    return current().annotate(level, message, file=file, line=line, title=title)


def mask(secret: str | None) -> None:
    current().mask(secret)


def finish() -> None:
    current().finish()
