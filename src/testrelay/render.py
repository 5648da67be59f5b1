"""Turning a Report into text through Jinja2 templates: the user's folder first, then ours.

The environment is sandboxed and immutable: a template from a pull request may be
rendered in a job that holds tokens, and it must not reach past the Report it is given.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from types import TracebackType

import jinja2
import markupsafe
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .errors import TemplateError
from .report import Report

PACKAGED_TEMPLATES = Path(__file__).parent / "templates"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_BACKTICKS = re.compile(r"`+")
_SPACES = re.compile(r"\s+")
_SAFE_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.:/-]")


def num(value: int | float) -> str:
    """Thousands separators: 1204 -> 1,204."""
    return f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"


def duration(seconds: float | None) -> str:
    """Human time: 850 ms, 4.2s, 38s, 4m 12s, 1h 02m."""
    if seconds is None:
        return ""
    seconds = max(float(seconds), 0.0)
    if seconds < 1:
        return f"{round(seconds * 1000):d} ms"
    if seconds < 10:
        return f"{seconds:.1f}s"
    total = round(seconds)
    if total < 60:
        return f"{total}s"
    if total < 3600:
        return f"{total // 60}m {total % 60:02d}s"
    return f"{total // 3600}h {(total % 3600) // 60:02d}m"


def delta(change: int | None) -> str:
    """▲2 / ▼1; nothing when there is no change or no baseline."""
    if not change:
        return ""
    return f"▲{change:,}" if change > 0 else f"▼{-change:,}"


def short_sha(sha: str | None) -> str:
    return (sha or "")[:7]


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", str(text)).strip()


def md(text: object) -> str:
    """Markdown-safe inline text: one line, metacharacters escaped, no raw HTML."""
    text = _one_line(str(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def html_line(text: object) -> str:
    """HTML-safe inline text on one line, for <summary> and other HTML blocks where Markdown is not read."""
    return str(markupsafe.escape(_one_line(str(text))))


def code(text: object, in_table: bool = False) -> str:
    """An inline code span whose fence is longer than any backtick run inside."""
    text = _one_line(str(text))
    if in_table:  # GitHub ends a table cell at a pipe even inside a code span, unless escaped
        text = text.replace("|", "\\|")
    runs = [len(m) for m in _BACKTICKS.findall(text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(text: object, lang: str = "text") -> str:
    """A fenced block whose fence is longer than any backtick run in the content, so nothing can close it early."""
    text = str(text).rstrip("\n")
    runs = [len(m) for m in _BACKTICKS.findall(text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def url(value: str | None) -> str:
    """A link target that is http(s) and cannot break out of Markdown link syntax; empty otherwise."""
    if not value or not _SAFE_SCHEME.match(value):
        return ""
    return value.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def marker_key(value: object) -> str:
    """A comment key that cannot end the hidden HTML comment it sits in."""
    key = _KEY_UNSAFE.sub("_", str(value)) or "default"
    return re.sub(r"-{2,}", "-", key)


def utc(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


FILTERS = {
    "num": num,
    "duration": duration,
    "delta": delta,
    "short_sha": short_sha,
    "md": md,
    "html_line": html_line,
    "code": code,
    "code_block": code_block,
    "utc": utc,
    "url": url,
    "marker_key": marker_key,
}


def template_dirs(user_dir: str | Path | None) -> list[Path]:
    dirs = [Path(user_dir)] if user_dir else []
    dirs.append(PACKAGED_TEMPLATES)
    return dirs


def environment(user_dir: str | Path | None = None) -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(user_dir)]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def _template_line(tb: TracebackType | None) -> tuple[str | None, int | None]:
    """The template file and line an error was raised at: Jinja rewrites the traceback to show them."""
    where: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "<template>" in filename:
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where


class Renderer:
    """One template, loaded once, rendered as often as the size budget needs."""

    def __init__(self, template_name: str, *, user_dir: str | Path | None = None) -> None:
        self.name = template_name
        self.looked_in = ", ".join(str(d) for d in template_dirs(user_dir))
        env = environment(user_dir)
        try:
            self.template = env.get_template(template_name)
        except jinja2.TemplateNotFound:
            raise TemplateError(
                f"template {template_name!r} not found in {self.looked_in}",
                hint="check the template name and the templates folder",
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"{exc.filename or template_name}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(
                f"template {template_name!r} could not be read ({exc}); looked in {self.looked_in}"
            ) from None

    def __call__(self, report: Report) -> str:
        """The template rendered with the Report as `report`, and nothing else."""
        try:
            return self.template.render(report=report)
        except jinja2.TemplateSyntaxError as exc:  # an {% include %} of a broken file
            raise TemplateError(
                f"{exc.filename or self.name}:{exc.lineno}: template syntax error: {exc.message}"
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(
                f"{self.template.filename}: includes {exc.name!r}, not found in {self.looked_in}"
            ) from None
        except (jinja2.UndefinedError, SecurityError, TypeError, ValueError, AttributeError, KeyError) as exc:
            filename, line = _template_line(exc.__traceback__)
            where = f"{filename or self.template.filename or self.name}:{line}" if line else self.name
            kind = "undefined variable" if isinstance(exc, jinja2.UndefinedError) else "render error"
            raise TemplateError(f"{where}: {kind}: {exc}") from None


def render(report: Report, template_name: str, *, user_dir: str | Path | None = None) -> str:
    """The template rendered with the Report as `report`, and nothing else."""
    return Renderer(template_name, user_dir=user_dir)(report)
