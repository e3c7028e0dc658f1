"""`malbas serve`: a read-only web view over the malbas database (Flask, Chart.js shipped in static/)."""

from malbas.web.app import create_app

__all__ = ["create_app"]
