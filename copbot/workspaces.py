"""Which Slack workspaces copbot may talk to: installs, uninstalls and the check senders make.

A workspace with no Workspace row is active (single-token mode before its first record). Once
Slack reports ``app_uninstalled`` or a revoked bot token, the workspace is inactive until it is
installed again; reminders, digests and any other unprompted send must check ``is_active``.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.installations import delete_installations
from storage.models import Workspace


def get_workspace(session: Session, *, team_id: str) -> Workspace | None:
    return session.exec(select(Workspace).where(Workspace.team_id == team_id)).first()


def is_active(session: Session, team_id: str) -> bool:
    """False once the workspace uninstalled copbot or revoked its bot token (until reinstalled)."""
    workspace = get_workspace(session, team_id=team_id)
    return workspace is None or workspace.uninstalled_at is None


def record_install(session: Session, *, team_id: str, name: str, at: datetime) -> Workspace:
    """Remember an install (or a reinstall, which makes the workspace active again)."""
    workspace = get_workspace(session, team_id=team_id)
    if workspace is None:
        workspace = Workspace(team_id=team_id, name=name[:200], installed_at=at)
    else:
        if workspace.uninstalled_at is not None:
            workspace.installed_at = at
        workspace.uninstalled_at = None
        workspace.name = name[:200] or workspace.name
    session.add(workspace)
    session.flush()
    return workspace


def record_uninstall(session: Session, *, team_id: str, at: datetime) -> Workspace:
    """Mark the workspace inactive and forget its tokens. Repeating it (Slack retries) changes nothing."""
    workspace = get_workspace(session, team_id=team_id)
    if workspace is None:
        workspace = Workspace(team_id=team_id, installed_at=at, uninstalled_at=at)
    elif workspace.uninstalled_at is None:
        workspace.uninstalled_at = at
    session.add(workspace)
    session.flush()
    delete_installations(session, team_id=team_id)
    return workspace
