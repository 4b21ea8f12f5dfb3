"""Thin Bolt listeners, one module per feature, each with a ``register(app, pdsa)``."""

from __future__ import annotations

from slack_bolt import App

from handlers import (
    act,
    calendar,
    charts,
    checkins,
    do_meetings,
    evidence,
    find,
    home,
    mine,
    plans,
    problems,
    progress,
    reminders,
    reports,
    setup,
    ssc,
    status,
    study,
    teams,
    workspaces,
)
from handlers import help as help_feature
from handlers.pdsa import PdsaRouter

FEATURES = [
    help_feature, setup, teams, problems, home, status,
    plans, do_meetings, evidence, study, act, ssc, checkins,
    reports, progress, charts,
    calendar, find, mine,
    reminders, workspaces,
]


def register_all(app: App) -> PdsaRouter:
    """Register every feature's listeners and the /pdsa command that routes to them."""
    pdsa = PdsaRouter()
    for feature in FEATURES:
        feature.register(app, pdsa)
    app.command("/pdsa")(pdsa.handle)
    return pdsa
