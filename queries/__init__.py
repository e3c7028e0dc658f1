"""Saved SQL queries (package data of malbas; read by malbas.queries through importlib.resources)."""
