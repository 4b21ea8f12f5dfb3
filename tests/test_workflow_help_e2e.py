"""/pdsa help lists every PDSA step command with its example."""

from __future__ import annotations


def test_help_lists_the_step_commands(slack):
    text = slack.command("help").json["text"]
    for example in ("/pdsa plan", "/pdsa do mid", "/pdsa evidence", "/pdsa study", "/pdsa act", "/pdsa ssc",
                    "/pdsa checkin"):
        assert f"`{example}`" in text
