"""The read-only web view (Flask): pages that compare districts, each number a link to its source line."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from flask import Flask, Response, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import Engine, RowMapping

from malbas import __version__
from malbas.web import charts, data
from malbas.web.format import BEDOMNING, KON, NIVA, number, verdict
from malbas.web.sources import SourceFinder, excerpt, page_of

# Only this server's own files: no script, style or font from elsewhere (city networks are closed anyway).
CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"


def create_app(engine: Engine, finder: SourceFinder) -> Flask:
    app = Flask(__name__)
    app.jinja_env.filters["tal"] = number
    app.jinja_env.filters["bedomning"] = lambda b: BEDOMNING.get(b, "ingen bedömning") if b else "ingen bedömning"
    app.jinja_env.filters["niva"] = lambda n: NIVA.get(n, n)
    app.jinja_env.filters["dom"] = verdict
    app.jinja_env.globals.update(version=__version__, KON=KON)

    def source_link(rapport_id: int, rad: int | None, value: object = None) -> str:
        """The source page of a line; with the value shown, which that page marks where it is printed."""
        if rad is None:
            return ""
        shown = number(value) if isinstance(value, (Decimal, int, float)) else value
        return url_for("source", rapport_id=rapport_id, rad=rad, v=shown or None) + f"#L{rad}"

    def row_link(row: RowMapping, value: object = None) -> str:
        return source_link(row["rapport_id"], row["rad"], value)

    app.jinja_env.globals.update(source_link=source_link, row_link=row_link)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.errorhandler(data.PageError)
    def _page_error(error: data.PageError) -> tuple[str, int]:
        return render_template("fel.html", message=str(error)), error.status

    @app.get("/")
    def overview() -> str:
        return render_template("oversikt.html", reports=data.reports(engine))

    @app.get("/jamforelse")
    def comparison() -> str:
        indicators = data.indicators(engine)
        indikator_id = _int_arg("indikator") or data.default_indicator(engine)
        if indikator_id is None:
            return render_template("jamforelse.html", indicators=indicators, indikator=None)
        indikator = data.indicator(engine, indikator_id)
        choices = data.comparison_periods(engine, indikator_id)
        asked = request.args.get("period")
        period = data.Period.parse(asked) if asked else data.default_period(choices)
        rows = data.comparison(engine, indikator_id, period) if period else []
        chart = charts.comparison(rows, row_link, period is not None and period.senaste, indikator["enhet"])
        return render_template(
            "jamforelse.html",
            indicators=indicators,
            indikator=indikator,
            choices=choices,
            period=period,
            rows=rows,
            chart_config=_json(chart) if rows else None,
        )

    @app.get("/over-tid")
    def over_time() -> str:
        indicators = data.indicators(engine)
        indikator_id = _int_arg("indikator") or data.default_indicator(engine)
        if indikator_id is None:
            return render_template("over_tid.html", indicators=indicators, indikator=None)
        indikator = data.indicator(engine, indikator_id)
        districts = data.indicator_districts(engine, indikator_id)
        chosen = [n for n in request.args.getlist("namnd") if n in districts] or districts
        rows = data.over_time(engine, indikator_id, chosen)
        return render_template(
            "over_tid.html",
            indicators=indicators,
            indikator=indikator,
            districts=districts,
            chosen=chosen,
            rows=rows,
            chart_config=_json(charts.over_time(rows, row_link, indikator["enhet"])) if rows else None,
        )

    @app.get("/maluppfyllelse")
    def fulfilment() -> str:
        choices = data.fulfilment_periods(engine)
        asked = request.args.get("period")
        period = data.Period.parse(asked) if asked else data.default_period(choices)
        reports = data.fulfilment_reports(engine, period) if period else []
        goals = data.assessed_goals(engine, [r["rapport_id"] for r in reports])
        groups = _fulfilment_groups(reports, goals)
        return render_template(
            "maluppfyllelse.html",
            choices=choices,
            period=period,
            reports=reports,
            groups=groups,
            goals=goals,
            chart_config=_json(charts.fulfilment(groups)) if groups else None,
        )

    @app.get("/rapport/<int:rapport_id>")
    def report(rapport_id: int) -> str:
        rapport = data.report(engine, rapport_id)
        goals = data.assessed_goals(engine, [rapport_id])
        children: dict[int | None, list[RowMapping]] = defaultdict(list)
        known = {g["id"] for g in goals}
        for goal in goals:
            parent = goal["overordnat_id"]
            children[parent if parent in known else None].append(goal)
        by_goal: dict[str, dict[int | None, list[RowMapping]]] = {
            "indikatorer": _group(data.report_indicator_rows(engine, rapport_id)),
            "aktiviteter": _group(data.report_activities(engine, rapport_id)),
            "texter": _group(data.report_goal_texts(engine, rapport_id)),
        }
        return render_template(
            "rapport.html",
            rapport=rapport,
            children=children,
            by_goal=by_goal,
            economy=_economy_tables(data.report_economy(engine, rapport_id)),
            quality=data.report_quality(engine, rapport_id),
        )

    @app.get("/sok")
    def search() -> str:
        from malbas import queries

        words = request.args.get("q", "").strip()
        hits = queries.search(engine, words, limit=50).to_dict(orient="records") if words else []
        return render_template("sok.html", q=words, hits=hits)

    @app.get("/kalla/<int:rapport_id>/<int:rad>")
    def source(rapport_id: int, rad: int) -> str:
        rapport = data.report(engine, rapport_id)
        text = finder.text_of(rapport_id, rapport["kalla"], rapport["sha256"])
        if rad < 1 or (text is not None and rad > len(text.lines)):
            raise data.NotFound(f"{rapport['kalla']} har ingen rad {rad}")
        page = page_of(rapport["sidor"], rad) if rapport["sidor"] else (text.page_of(rad) if text else None)
        return render_template(
            "kalla.html",
            rapport=rapport,
            rad=rad,
            page=page,
            source=text,
            excerpt=excerpt(text, rad, request.args.get("v")) if text else None,
            folders=finder.folders,
        )

    return app


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise data.PageError(f"{name} ska vara ett tal, inte {value!r}")
    return int(value)


def _json(config: dict[str, Any]) -> Markup:
    """Chart data for a <script type="application/json">: '<', '>' and '&' escaped so no text can end the tag."""
    dumped = json.dumps(config, ensure_ascii=False)
    return Markup(dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _group(rows: Sequence[RowMapping]) -> dict[int | None, list[RowMapping]]:
    grouped: dict[int | None, list[RowMapping]] = defaultdict(list)
    for row in rows:
        grouped[row["mal_id"]].append(row)
    return grouped


def _fulfilment_groups(reports: Sequence[RowMapping], goals: Sequence[RowMapping]) -> list[dict[str, Any]]:
    """Per report and goal level with assessments: the counts of helt, delvis, inte and of goals unassessed."""
    groups = []
    for report in reports:
        for niva in NIVA:
            of_level = [g for g in goals if g["rapport_id"] == report["rapport_id"] and g["niva"] == niva]
            if any(g["bedomning"] for g in of_level):
                groups.append(_fulfilment_group(report, niva, of_level))
    return groups


def _fulfilment_group(report: RowMapping, niva: str, of_level: Sequence[RowMapping]) -> dict[str, Any]:
    """One report's goals of one level: how many are assessed helt, delvis, inte, and how many not at all."""
    return {
        "rapport_id": report["rapport_id"],
        "namnd": report["namnd"],
        "period": report["period"],
        "niva": niva,
        "antal": {b: sum(1 for g in of_level if g["bedomning"] == b) for b in BEDOMNING},
        "utan": sum(1 for g in of_level if not g["bedomning"]),
        "anchor": f"r{report['rapport_id']}-{niva}",
        "link": f"#r{report['rapport_id']}-{niva}",
    }


def _economy_tables(cells: Sequence[RowMapping]) -> list[dict[str, Any]]:
    """Economy cells as tables: each table's columns (by position) and rows, with each cell where it stands."""
    tables: dict[int, dict[str, Any]] = {}
    for cell in cells:
        table = tables.setdefault(
            cell["tabell_id"], {"rubrik": cell["rubrik"], "rad": cell["tabell_rad"], "columns": {}, "rows": {}}
        )
        row = table["rows"].setdefault(
            cell["ekonomirad_id"],
            {"namn": cell["namn"], "varav": cell["varav"], "rad": cell["radens_rad"], "cells": {}},
        )
        if cell["kolumn_nr"] is not None:
            table["columns"].setdefault(cell["kolumn_nr"], cell["kolumn"])
            row["cells"][cell["kolumn_nr"]] = cell
    for table in tables.values():
        table["columns"] = dict(sorted(table["columns"].items()))
        table["rows"] = list(table["rows"].values())
    return list(tables.values())
