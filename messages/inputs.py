"""Modal input blocks, each with block_id == action_id == the field name (see handlers/forms.py).

Initial values and labels are clipped to Slack's limits, so a long saved record pre-fills a
form without Slack rejecting it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from slack_sdk.models.blocks import (
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticSelectElement,
    UrlInputElement,
    UserMultiSelectElement,
)

from messages.blocks import OPTION_LIMIT, clip

LABEL_LIMIT = 2000
HINT_LIMIT = 2000
PLACEHOLDER_LIMIT = 150
TEXT_INPUT_LIMIT = 3000
SELECT_OPTIONS_LIMIT = 100
CHECKBOX_OPTIONS_LIMIT = 10


def option(value: str, label: str) -> Option:
    return Option(value=value, text=PlainTextObject(text=clip(label, OPTION_LIMIT)))


def _input(field: str, label: str, element: object, *, optional: bool, hint: str | None,
           dispatch_action: bool | None = None) -> InputBlock:
    return InputBlock(
        block_id=field,
        label=clip(label, LABEL_LIMIT),
        element=element,  # type: ignore[arg-type]
        optional=optional,
        hint=clip(hint, HINT_LIMIT) if hint else None,
        dispatch_action=dispatch_action,
    )


def text_input(field: str, label: str, *, initial: str | None = "", multiline: bool = False,
               optional: bool = False, hint: str | None = None, placeholder: str | None = None,
               max_length: int = TEXT_INPUT_LIMIT) -> InputBlock:
    element = PlainTextInputElement(
        action_id=field,
        multiline=multiline,
        max_length=max_length,
        initial_value=clip(initial, max_length) or None,
        placeholder=clip(placeholder, PLACEHOLDER_LIMIT) if placeholder else None,
    )
    return _input(field, label, element, optional=optional, hint=hint)


def url_input(field: str, label: str, *, initial: str | None = None, optional: bool = True,
              hint: str | None = None) -> InputBlock:
    element = UrlInputElement(action_id=field, initial_value=initial or None)
    return _input(field, label, element, optional=optional, hint=hint)


def number_input(field: str, label: str, *, initial: float | None = None, optional: bool = True,
                 hint: str | None = None) -> InputBlock:
    element = NumberInputElement(action_id=field, is_decimal_allowed=True,
                                 initial_value=None if initial is None else f"{initial:g}")
    return _input(field, label, element, optional=optional, hint=hint)


def date_input(field: str, label: str, *, initial: date | None = None, optional: bool = False,
               hint: str | None = None) -> InputBlock:
    element = DatePickerElement(action_id=field, initial_date=initial.isoformat() if initial else None)
    return _input(field, label, element, optional=optional, hint=hint)


def select_input(field: str, label: str, choices: Sequence[tuple[str, str]], *, initial: str | None = None,
                 optional: bool = False, hint: str | None = None, dispatch_action: bool | None = None,
                 placeholder: str = "Choose…") -> InputBlock:
    options = [option(value, text) for value, text in choices[:SELECT_OPTIONS_LIMIT]]
    chosen = next((o for o in options if o.value == initial), None)
    element = StaticSelectElement(action_id=field, options=options, initial_option=chosen,
                                  placeholder=clip(placeholder, PLACEHOLDER_LIMIT))
    return _input(field, label, element, optional=optional, hint=hint, dispatch_action=dispatch_action)


def radio_input(field: str, label: str, choices: Sequence[tuple[str, str]], *, initial: str | None = None,
                optional: bool = False, hint: str | None = None) -> InputBlock:
    options = [option(value, text) for value, text in choices[:CHECKBOX_OPTIONS_LIMIT]]
    chosen = next((o for o in options if o.value == initial), None)
    element = RadioButtonsElement(action_id=field, options=options, initial_option=chosen)
    return _input(field, label, element, optional=optional, hint=hint)


def checkboxes_input(field: str, label: str, choices: Sequence[tuple[str, str]], *,
                     initial: Sequence[str] = (), optional: bool = True, hint: str | None = None) -> InputBlock:
    options = [option(value, text) for value, text in choices[:CHECKBOX_OPTIONS_LIMIT]]
    chosen = [o for o in options if o.value in set(initial)] or None
    element = CheckboxesElement(action_id=field, options=options, initial_options=chosen)
    return _input(field, label, element, optional=optional, hint=hint)


def users_input(field: str, label: str, *, initial: Sequence[str] = (), optional: bool = False,
                hint: str | None = None) -> InputBlock:
    element = UserMultiSelectElement(action_id=field, initial_users=list(initial) or None,
                                     placeholder="Choose people")
    return _input(field, label, element, optional=optional, hint=hint)
