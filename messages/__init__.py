"""Everything copbot shows: Block Kit builders (validated by slack_sdk.models) and jinja2 templates."""
