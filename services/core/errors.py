"""Expected, user-presentable failures. Every message is Simplified Chinese and says what to do."""

from __future__ import annotations


class AppError(Exception):
    """A failure the user can understand and act on (validation, refused step, missing record)."""

    exit_code = 3  # CLI: input rejected

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(AppError):
    """Input that breaks a field rule; ``field`` names the form field for inline display."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def raise_first(problems: dict[str, str]) -> None:
    """Refuse with the first of a form's problems (field -> message, in the form's order), if there is one."""
    for field, message in problems.items():
        raise ValidationError(message, field=field)


def required(text: str, message: str, *, field: str) -> str:
    """``text`` as given, or a ValidationError with ``message`` when it is blank: a step that must say why (a
    reason, a record, the matters to investigate) is refused without it, whatever screen or command called it."""
    if not text.strip():
        raise ValidationError(message, field=field)
    return text


class NotFound(AppError):
    pass


class TransitionRefused(AppError):
    """A procedural step the law or the state machine does not allow now; ``rule`` cites the basis."""

    def __init__(self, message: str, rule: str = "") -> None:
        super().__init__(f"{message}（依据：{rule}）" if rule else message)
        self.rule = rule


class PermissionDenied(AppError):
    pass


class ConfigurationError(AppError):
    pass


class NumberingError(AppError):
    pass


class SetupError(AppError):
    pass
