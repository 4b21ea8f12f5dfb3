"""Turning outcomes into Slack answers: domain errors to inline modal errors or ephemeral replies.

Nothing here lets a traceback reach a user: unexpected errors are logged with their traceback
and the person sees a short apology.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from copbot.errors import UserError

log = logging.getLogger("copbot.handlers")
SORRY = "Sorry, something went wrong on copbot's side. It has been logged; please try again."


def _acked(ack: Any) -> bool:
    return getattr(ack, "response", None) is not None


def ephemeral(ack: Any, respond: Any, text: str, blocks: list[dict] | None = None) -> None:
    """Answer a slash command or action privately: in the ack if still possible, else via respond."""
    if not _acked(ack):
        ack(response_type="ephemeral", text=text, blocks=blocks)
    elif respond is not None:
        respond(response_type="ephemeral", replace_original=False, text=text, blocks=blocks)


def modal_errors(ack: Any, error: UserError, default_field: str) -> None:
    """Keep the modal open with the message under the field it belongs to."""
    ack(response_action="errors", errors={error.field or default_field: error.message})


def slash_command(func: Callable[..., None]) -> Callable[..., None]:
    """Wrap a /pdsa subcommand: a UserError becomes an ephemeral reply, anything else an apology."""

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> None:
        ack, respond = kwargs["ack"], kwargs.get("respond")
        try:
            func(**kwargs)
        except UserError as error:
            ephemeral(ack, respond, error.message)
        except Exception:
            log.exception("slash command %s failed", func.__name__)
            ephemeral(ack, respond, SORRY)

    return wrapper


def view_submission(default_field: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Wrap a modal submission listener: a UserError stays in the modal, on its field."""

    def decorate(func: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(func)
        def wrapper(**kwargs: Any) -> None:
            ack = kwargs["ack"]
            try:
                func(**kwargs)
            except UserError as error:
                if not _acked(ack):
                    modal_errors(ack, error, default_field)
                else:
                    log.warning("user error after ack in %s: %s", func.__name__, error.message)
            except Exception:
                log.exception("view submission %s failed", func.__name__)
                if not _acked(ack):
                    ack(response_action="errors", errors={default_field: SORRY})

        return wrapper

    return decorate


def action(func: Callable[..., None]) -> Callable[..., None]:
    """Wrap a button/shortcut/event listener: always ack, never leak an error to Slack."""

    @functools.wraps(func)
    def wrapper(**kwargs: Any) -> None:
        ack = kwargs.get("ack")
        try:
            func(**kwargs)
        except UserError as error:
            if ack is not None:
                ephemeral(ack, kwargs.get("respond"), error.message)
        except Exception:
            log.exception("listener %s failed", func.__name__)
            if ack is not None and not _acked(ack):
                ack()

    return wrapper
