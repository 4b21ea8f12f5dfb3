"""Thin Bolt listeners, one module per feature, each with a ``register(app, pdsa)``."""

from __future__ import annotations

from slack_bolt import App

from handlers import help as help_feature
from handlers import reminders
from handlers.pdsa import PdsaRouter

FEATURES = [help_feature, reminders]


def register_all(app: App) -> PdsaRouter:
    """Register every feature's listeners and the /pdsa command that routes to them."""
    pdsa = PdsaRouter()
    for feature in FEATURES:
        feature.register(app, pdsa)
    app.command("/pdsa")(pdsa.handle)
    return pdsa
