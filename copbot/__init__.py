"""copbot: runs school Communities of Practice through PDSA cycles in Slack."""
