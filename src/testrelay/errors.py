"""Every error a user can meet, one class each, with its own exit code.

Messages name the file, option or request at fault and say what to do. Only the
CLI turns these into a printed line and an exit code.
"""

from __future__ import annotations


class TestrelayError(Exception):
    """Base of every user-facing error."""

    __test__ = False
    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class TestsFailedError(TestrelayError):
    """The run went fine, but the tests failed and `fail_on` says that fails the job."""

    exit_code = 1


class ConfigError(TestrelayError):
    """A configuration value is missing, of the wrong type, or unknown."""

    exit_code = 2


class InputError(TestrelayError):
    """Result files are missing, unreadable or malformed."""

    exit_code = 3


class NoResultsError(InputError):
    """The patterns matched no file, or the files held no test."""

    exit_code = 4


class TemplateError(TestrelayError):
    """A template is missing, unreadable, or fails to render."""

    exit_code = 5


class PublishError(TestrelayError):
    """A provider refused or failed a request; the report is still on disk."""

    exit_code = 6


class AuthError(PublishError):
    """The token is missing, wrong, or lacks a permission."""

    exit_code = 7


class ArtifactError(TestrelayError):
    """The artifact store could not store, find or upload a file."""

    exit_code = 8


EXIT_CODES: dict[str, int] = {
    cls.__name__: cls.exit_code
    for cls in (
        TestsFailedError,
        ConfigError,
        InputError,
        NoResultsError,
        TemplateError,
        PublishError,
        AuthError,
        ArtifactError,
    )
}
