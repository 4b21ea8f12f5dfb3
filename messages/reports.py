"""Report files (Markdown and printable HTML from messages/templates/; PDF for the SSC summary) and their words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from copbot.reports import DistrictSummary, PlanSummary, SscSummary
from messages.blocks import clip
from messages.pdf import html_to_pdf
from messages.templates import render

COMMENT_LIMIT = 1000


@dataclass(frozen=True)
class ReportFile:
    filename: str
    title: str
    content: bytes


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


def _files(stem: str, title: str, template: str, **context: object) -> list[ReportFile]:
    return [
        ReportFile(f"{stem}.md", f"{title} (Markdown)", render(f"{template}.md.j2", **context).encode()),
        ReportFile(f"{stem}.html", f"{title} (printable)", render(f"{template}.html.j2", **context).encode()),
    ]


def ssc_report_files(summary: SscSummary) -> list[ReportFile]:
    """Markdown, printable HTML and a one-page PDF of the SSC summary."""
    stem = f"ssc-update-{slug(summary.school)}-cycle-{summary.cycle.number}-{summary.prepared_on.isoformat()}"
    title = f"SSC update: {summary.school}"
    pdf = html_to_pdf(render("ssc_report.pdf.html.j2", summary=summary), title=title)
    return [*_files(stem, title, "ssc_report", summary=summary), ReportFile(f"{stem}.pdf", f"{title} (PDF)", pdf)]


def plan_report_files(summary: PlanSummary) -> list[ReportFile]:
    stem = f"sip-summary-{slug(summary.school)}-{summary.school_year}"
    return _files(stem, f"School Improvement Plan summary {summary.school_year}: {summary.school}", "plan_report",
                  summary=summary)


def district_report_files(summary: DistrictSummary) -> list[ReportFile]:
    stem = f"what-worked-{summary.prepared_on.isoformat()}"
    return _files(stem, "What worked and what did not", "district_report", summary=summary)


def ssc_comment(summary: SscSummary) -> str:
    return clip(f"School Site Council update for {summary.school} (cycle {summary.cycle.number}): Markdown to "
                "paste, HTML to print, PDF to hand out.", COMMENT_LIMIT)


def plan_comment(summary: PlanSummary) -> str:
    return clip(f"{summary.school_year} School Improvement Plan summary for {summary.school}: "
                f"{len(summary.cycles)} cycle(s), Markdown and printable HTML.", COMMENT_LIMIT)


def district_comment(summary: DistrictSummary) -> str:
    return clip(f"What worked and what did not: {summary.strategy_count} strategies from {summary.school_count} "
                "school(s), grouped by focus area and student group.", COMMENT_LIMIT)


REPORT_KINDS = {
    "ssc": "the School Site Council summary",
    "plan": "the School Improvement Plan summary",
    "district": "the district \"what worked\" report",
}


def working_on(kind: str) -> str:
    return f"Preparing {REPORT_KINDS[kind]}: it will appear here as a file in a moment."


def report_usage() -> str:
    return ("Which report? `/pdsa report ssc` (School Site Council summary after the latest convening), "
            "`/pdsa report plan` (year-end School Improvement Plan summary), "
            "`/pdsa report district` (what worked across CoPs, for facilitators). "
            "Add a school's name when you can act on several, e.g. `/pdsa report ssc Lincoln`.")
