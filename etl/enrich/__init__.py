"""Enrichment: pure functions from parsed records to the facts malbas derives from them (indicator identity,
direction, target verdicts, deviations, plan evidence). No database: the loader and `malbas parse --json`
both use these, so the export shows what the database stores."""
