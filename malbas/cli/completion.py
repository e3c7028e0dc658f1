"""Shell completion of names that live in the database (indicators, committees).

Completion runs on every TAB: it never starts the embedded server, waits at most a moment for a server, and
offers nothing rather than an error when no database answers."""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem

_NAMES_SQL = {
    "indikator": "SELECT namn FROM indikator ORDER BY namn",
    "namnd": "SELECT namn FROM namnd ORDER BY namn",
}
CONNECT_TIMEOUT_SECONDS = 2


def database_names(ctx: click.Context, kind: str) -> list[str]:
    """The stored names of `kind` (indikator, namnd); [] when the database cannot be reached."""
    from sqlalchemy import text

    from malbas.database import engine_for, resolve

    try:
        target = resolve(ctx.find_root().params.get("database_url"), start_embedded=False)
        engine = engine_for(target, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
        try:
            with engine.connect() as conn:
                return [str(name) for name in conn.execute(text(_NAMES_SQL[kind])).scalars()]
        finally:
            engine.dispose()
    except Exception:  # noqa: BLE001 - completion must fail silently: no server, no schema, a bad URL
        return []


def param_values(ctx: click.Context, name: str, choices: tuple[str, ...]) -> list[str]:
    if choices:
        return list(choices)
    if name in _NAMES_SQL:
        return database_names(ctx, name)
    return []


def complete_param(ctx: click.Context, incomplete: str, params: dict[str, tuple[str, ...]]) -> list[CompletionItem]:
    """`-p KEY=VALUE`: the query's parameter names, then the values a parameter takes (fixed choices, or the
    indicator and committee names stored)."""
    key, sep, prefix = incomplete.partition("=")
    if not sep:
        return [CompletionItem(f"{name}=") for name in params if name.startswith(key)]
    if key not in params:
        return []
    wanted = prefix.casefold()
    return [
        CompletionItem(f"{key}={value}")
        for value in param_values(ctx, key, params[key])
        if value.casefold().startswith(wanted)
    ]
