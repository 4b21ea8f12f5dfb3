"""Modal input blocks whose block_id and action_id are the field name (what handlers/forms.py reads).

Labels, hints, placeholders and option texts are clipped to Slack's limits; initial values of
text inputs are clipped to the 3000 characters a plain_text_input may hold, so a long saved
record pre-fills a form without Slack rejecting it. Choices may be given as ``Option`` objects
or as ``(value, label)`` pairs.
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
    OptionGroup,
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
OPTION_VALUE_LIMIT = 150
GROUP_LABEL_LIMIT = 75
SELECT_OPTIONS_LIMIT = 100
CHECKBOX_OPTIONS_LIMIT = 10

Choices = Sequence[Option] | Sequence[tuple[str, str]]


def option(value: str, label: str) -> Option:
    return Option(value=value[:OPTION_VALUE_LIMIT], label=clip(label, OPTION_LIMIT))


def option_group(label: str, options: Sequence[Option]) -> OptionGroup:
    return OptionGroup(label=clip(label, GROUP_LABEL_LIMIT), options=list(options)[:SELECT_OPTIONS_LIMIT])


def _options(choices: Choices, limit: int) -> list[Option]:
    return [c if isinstance(c, Option) else option(*c) for c in list(choices)[:limit]]


def _hint(text: str | None) -> PlainTextObject | None:
    return PlainTextObject(text=clip(text, HINT_LIMIT)) if text else None


def _input(field: str, label: str, element: object, *, optional: bool, hint: str | None,
           dispatch_action: bool | None = None) -> InputBlock:
    return InputBlock(block_id=field, label=clip(label, LABEL_LIMIT), element=element, optional=optional,
                      hint=_hint(hint), dispatch_action=dispatch_action)


def text_input(field: str, label: str, *, initial: str | None = None, multiline: bool = False,
               optional: bool = False, hint: str | None = None, placeholder: str | None = None,
               max_length: int = TEXT_INPUT_LIMIT) -> InputBlock:
    element = PlainTextInputElement(
        action_id=field, multiline=multiline, max_length=max_length,
        initial_value=clip(initial, max_length) if initial else None,
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
    element = DatePickerElement(action_id=field, initial_date=initial.isoformat() if initial else None,
                                placeholder="Pick a date")
    return _input(field, label, element, optional=optional, hint=hint)


def select_input(field: str, label: str, options: Choices, *, initial: str | None = None,
                 optional: bool = False, hint: str | None = None, dispatch_action: bool | None = None,
                 groups: Sequence[OptionGroup] | None = None, placeholder: str = "Choose…") -> InputBlock:
    flat = _options(options, SELECT_OPTIONS_LIMIT)
    every = [o for group in groups or [] for o in group.options] or flat
    chosen = next((o for o in every if o.value == initial), None)
    element = StaticSelectElement(
        action_id=field, placeholder=clip(placeholder, PLACEHOLDER_LIMIT), initial_option=chosen,
        options=None if groups else flat,
        option_groups=list(groups)[:SELECT_OPTIONS_LIMIT] if groups else None,
    )
    return _input(field, label, element, optional=optional, hint=hint, dispatch_action=dispatch_action)


def radio_input(field: str, label: str, options: Choices, *, initial: str | None = None,
                optional: bool = False, hint: str | None = None) -> InputBlock:
    flat = _options(options, CHECKBOX_OPTIONS_LIMIT)
    chosen = next((o for o in flat if o.value == initial), None)
    element = RadioButtonsElement(action_id=field, options=flat, initial_option=chosen)
    return _input(field, label, element, optional=optional, hint=hint)


def checkboxes_input(field: str, label: str, options: Choices, *, initial: Sequence[str] = (),
                     optional: bool = True, hint: str | None = None) -> InputBlock:
    flat = _options(options, CHECKBOX_OPTIONS_LIMIT)
    chosen = [o for o in flat if o.value in set(initial)]
    element = CheckboxesElement(action_id=field, options=flat, initial_options=chosen or None)
    return _input(field, label, element, optional=optional, hint=hint)


def users_input(field: str, label: str, *, initial: Sequence[str] = (), optional: bool = False,
                hint: str | None = None) -> InputBlock:
    element = UserMultiSelectElement(action_id=field, placeholder="Choose people",
                                     initial_users=list(initial) or None)
    return _input(field, label, element, optional=optional, hint=hint)
