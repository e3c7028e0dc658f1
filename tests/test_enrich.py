"""Enrichment beyond verdicts: indicator identity across spellings, economy column meanings and the budget
comparison, plan evidence, and the JSON export showing what the loader stores. Pairs and values are read by
hand from the samples (1-based line numbers)."""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache

import pytest
from click.testing import CliRunner

from malbas.cli import main
from malbas.etl.enrich.economy import column_meaning
from malbas.etl.enrich.identity import identify, indicator_key
from malbas.etl.enrich.kf_reference import table
from malbas.etl.enrich.plan_evidence import base_reason, plan_note
from malbas.etl.enrich.report import EnrichedReport, enrich
from malbas.etl.parse.parser import parse_file
from tests.conftest import ALL_SAMPLES, T1_RINKEBY, VB_HASSELBY, VB_NORRMALM, VP_RINKEBY


@cache
def enriched(path) -> EnrichedReport:  # noqa: ANN001
    return enrich(parse_file(path))


# --- one indicator across spellings -------------------------------------------------------------------------

SAME = [
    # 001 l.1027 / 000 l.1731: inflection
    (
        "Andel brukare inom socialpsykiatri som inte upplever diskriminering",
        "Andel brukare inom socialpsykiatrin som inte upplever diskriminering",
    ),
    # 001 l.1029 / 000 l.1745
    (
        "Andel enskilda som klarar mer på egen hand inom socialpsykiatri",
        "Andel enskilda som klarar mer på egen hand inom socialpsykiatrin",
    ),
    # 001 l.1045 / 000 l.1854
    (
        "Andel personer med insatser inom socialpsykiatri som är nöjda med sin insats",
        "Andel personer med insatser inom socialpsykiatrin som är nöjda med sin insats",
    ),
    # 003 l.748 / 004 l.2249
    (
        "Andel familjehemsplacerade barn i skolåldern som klarar målen i kärnämnen i grundskolan",
        "Andel familjehemsplacerade barn i skolåldern som klarar målen i kärnämnena i grundskolan",
    ),
    # 003 l.1296 / 000 l.3633 / 001 l.2123: typos in the reports
    (
        "Andel bygg- och anläggningsentreprenader i stadens regi som uppfyller stadens krav avseende användning av "
        "Byggarvbedömningen (BVB) eller därmed jämförliga system",
        "Andel bygg- och anläggningsentreprenader i stadens regi som uppfyller stadens krav avseende användning av "
        "Byggvarubedömningen (BVB) eller därmed jämförliga system",
    ),
    (
        "Andel bygg- och anläggningsentreprenader i stadens regi som uppfyller stadens krav avseende användning av "
        "Byggsvarubedömningen (BVB) eller därmed jämförliga system",
        "Andel bygg- och anläggningsentreprenader i stadens regi som uppfyller stadens krav avseende användning av "
        "Byggvarubedömningen (BVB) eller därmed jämförliga system",
    ),
    # 001 l.473 / 000 l.678
    (
        "Andel ungdomar som i stockholmsevenkäten uppger att de inte blivit utsatta för hot och våld",
        "Andel ungdomar som i stockholmsenkäten uppger att de inte blivit utsatta för hot och våld",
    ),
    # 003 l.1431 / 001 l.2403
    ("Andel upphandlingar där marknaddialog har genomförts", "Andel upphandlingar där marknadsdialog har genomförts"),
    # 003 l.740 'kallas' / 000 l.1688 'kallats'
    (
        "Andel barn och ungdomar anmälda för brott som tillsammans med föräldrar eller vårdnadshavare kallas till "
        "samtal med socialtjänsten inom 48 timmar",
        "Andel barn och ungdomar anmälda för brott som tillsammans med föräldrar eller vårdnadshavare kallats till "
        "samtal med socialtjänsten inom 48 timmar",
    ),
    # 003 l.1428 (final full stop) / 000 l.4014
    (
        "Andel av personalkostnader inom socialtjänstens myndighetsutövning som är för externa konsulter.",
        "Andel av personalkostnader inom socialtjänstens myndighetsutövning som är för externa konsulter",
    ),
    # 004 l.2106 / 001 l.1037: one KF indicator reworded in 2021 (the reference table lists the wording)
    (
        "Andel avhysningar som kunnat avvärjas efter inkommet meddelande till förvaltningen från kronofogdemyndigheten",
        "Andel meddelanden om avhysning som inkommit till förvaltningen från Kronofogdemyndigheten som kunnat avvärjas",
    ),
    # 004 l.4251 / 001 l.1986
    (
        "Andel barn och ungdomar som är nöjda med tillgången till kulturaktiviteter på fritiden",
        "Andel barn och ungdomar som är nöjda med tillgången till kulturaktiviteter",
    ),
    # 004 l.2343 'dem får' / the city's 'de får'
    (
        "Andel personer som själv upplever att dem får en förbättrad situation av insatsen/insatserna de fått från "
        "socialtjänsten (socialpsykiatri)",
        "Andel personer som själv upplever att de får en förbättrad situation av insatsen/insatserna de fått från "
        "socialtjänsten (socialpsykiatri)",
    ),
]

DIFFERENT = [
    # 000 l.1871 / l.1878 / l.1885: one word apart, three indicators
    (
        "Andel ungdomar som i stockholmsenkäten uppger att de inte använder alkohol",
        "Andel ungdomar som i stockholmsenkäten uppger att de inte använder narkotika",
    ),
    (
        "Andel ungdomar som i stockholmsenkäten uppger att de inte använder narkotika",
        "Andel ungdomar som i stockholmsenkäten uppger att de inte använder tobak",
    ),
    # 001 l.317 / 000 l.277
    (
        "Andel kvinnor med långvarigt ekonomiskt bistånd i förhållande till samtliga vuxna kvinnor i befolkningen",
        "Andel vuxna med långvarigt ekonomiskt bistånd jämfört med samtliga vuxna invånare",
    ),
    ("Andel kvinnor med långvarigt ekonomiskt bistånd", "Andel vuxna med långvarigt ekonomiskt bistånd"),
    # 000 l.4072 / l.4080
    ("Sjukfrånvaro", "Sjukfrånvaro dag 1-14"),
    # 000 l.297 / l.310
    ("Antal tillhandahållna platser för feriejobb", "Antal tillhandahållna platser för Stockholmsjobb"),
    # 000 l.3465 / l.3474
    ("Andel flickor som besöker träffpunkterna", "Andel flickor som besöker ungdomsgårdarna"),
    # 000 l.2654 / l.2664; 000 l.2639 / l.2646
    ("Andel trygga omsorgstagare i hemtjänsten", "Andel trygga omsorgstagare i vård- och omsorgsboende"),
    (
        "Andel omsorgstagare som upplever att de kan påverka hur hjälpen utförs i hemtjänsten",
        "Andel omsorgstagare som upplever att de kan påverka hur hjälpen utförs på vård- och omsorgsboende",
    ),
    # 004 l.2343 / l.2366 / l.358: the qualifier in brackets tells three KF indicators apart
    (
        "Andel personer som själv upplever att dem får en förbättrad situation av insatsen/insatserna de fått från "
        "socialtjänsten (socialpsykiatri)",
        "Andel personer som själv upplever att dem får en förbättrad situation av insatsen/insatserna de fått från "
        "socialtjänsten (vuxna missbruk)",
    ),
    (
        "Andel personer som själv upplever att de får en förbättrad situation av insatsen/insatserna de fått från "
        "socialtjänsten (ekonomiskt bistånd)",
        "Andel personer som själv upplever att dem får en förbättrad situation av insatsen/insatserna de fått från "
        "socialtjänsten (socialpsykiatri)",
    ),
    # 004 l.979 adds 'och städning' to the question (001 l.477): a different survey question
    (
        "Stockholmarnas nöjdhet med skötsel och städning av park och grönområden",
        "Stockholmarnas nöjdhet med skötsel av park och grönområden",
    ),
    # 004 l.2231 'nöjd med sin insats' vs 001 l.1028 'trivs'
    (
        "Andel brukare som är nöjd med sin insats - Funktionsnedsättning (stöd och service till personer med "
        "funktionsnedsättning)",
        "Andel brukare som trivs - Funktionsnedsättning (stöd och service till personer med funktionsnedsättning)",
    ),
    # 004 l.4215 takes part vs 004 l.4241 satisfied
    (
        "Andel barn och ungdomar som deltar i idrottsaktiviteter på fritiden",
        "Andel barn och ungdomar som är nöjda med tillgången till idrottsaktiviteter",
    ),
    # 003 l.1246 / l.1248 (nämnd indicators)
    (
        "Andelen barn och unga som upplever träffpunkter som trygga",
        "Andelen barn och unga som upplever ungdomsgårdarna som trygga",
    ),
    ("AMI motivation", "AMI-styrning"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_of_one_indicator_share_its_identity(a: str, b: str) -> None:
    assert identify(a).nyckel == identify(b).nyckel


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_indicators_are_never_merged(a: str, b: str) -> None:
    assert identify(a).nyckel != identify(b).nyckel


def test_identity_ignores_case_spacing_and_punctuation() -> None:
    assert indicator_key("Andel  vegetariska luncher.") == indicator_key("andel vegetariska luncher")
    assert indicator_key("AMI - ledarskap.") == indicator_key("AMI-ledarskap")


def test_every_kf_indicator_of_the_samples_is_one_identity_of_the_reference_table() -> None:
    spellings: dict[str, set[str]] = defaultdict(set)
    for path in ALL_SAMPLES:
        for e in enriched(path).indikatorer:
            if e.row.kf_indikator:
                assert e.identitet.kf_referens, f"{path.name} l.{e.row.rad}: {e.row.namn}"
                spellings[e.identitet.nyckel].add(e.row.namn)
    keys = {entry.nyckel for entry in table()}
    assert len(keys) == len(table()), "two reference entries share a key"
    assert set(spellings) == keys  # every entry is used by the samples, no KF indicator falls outside
    # The three indicators the issue names are split by "socialpsykiatri" / "socialpsykiatrin": one identity each.
    for name in (
        "Andel brukare inom socialpsykiatri som inte upplever diskriminering",
        "Andel enskilda som klarar mer på egen hand inom socialpsykiatri",
        "Andel personer med insatser inom socialpsykiatri som är nöjda med sin insats",
    ):
        inflected = name.replace("socialpsykiatri", "socialpsykiatrin")
        assert {name, inflected} <= spellings[identify(name).nyckel]


def test_kf_indicator_names_come_from_the_reference_table() -> None:
    e = next(e for e in enriched(VP_RINKEBY).indikatorer if e.row.rad == 1296)  # 003 l.1296: 'Byggarvbedömningen'
    assert e.identitet.namn.endswith("användning av Byggvarubedömningen (BVB) eller därmed jämförliga system")
    assert e.identitet.grund == "stavning"


# --- economy column meanings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "storhet", "matt", "fore_efter", "ar"),
    [
        ("Budget 2020 (netto)", "budget", "netto", None, 2020),  # 000 l.4443
        ("Prognos 2020 (föreresultatöverföringar)", "prognos", None, "fore", 2020),  # 000 l.4449-4451
        ("Prognos 2020 (efter resultat överföringar)", "prognos", None, "efter", 2020),  # 000 l.4453-4455
        ("Avvikelse (+/-)", "avvikelse", None, None, None),
        ("Differens", "avvikelse", None, None, None),
        ("Justerad budget 2020 Kostnader", "budget", "kostnad", None, 2020),  # 001 l.2749-2750
        ("Utfall 2020 Intäkter", "utfall", "intakt", None, 2020),
        ("Avvikelse 2020 Netto", "avvikelse", "netto", None, 2020),
        ("Bokslut 2020 (före resultat överföringar)", "utfall", None, "fore", 2020),  # 001 l.2720
        ("Avvikelse 2021 efter resultatöverföringar", "avvikelse", None, "efter", 2021),  # 004 l.5452-
        ("Avvikelse mellan prognos T2 och bokslut 2020", "prognosavvikelse", None, None, 2020),  # 001 l.2981
        ("Begärda budgetjusteringar", "justering", None, None, None),
        ("Budget 2020 (inkl. budgetjusteringar)", "budget", None, None, 2020),  # 001 l.2695
        ("Resultatöverföring till 2021 (max 10 %) Överskott (+) Underskott (-)", "resultat", None, None, 2021),
        ("Resultatenheternas bruttobudget 2020", "budget", "brutto", None, 2020),
        ("2020-12-31", "ovrigt", None, None, None),  # balance sheet, 001 l.3020
    ],
)
def test_column_meaning_from_the_label(label, storhet, matt, fore_efter, ar) -> None:  # noqa: ANN001
    m = column_meaning(label)
    assert (m.storhet, m.matt, m.resultatoverforing, m.ar) == (storhet, matt, fore_efter, ar)


def _comparison(path, tabell: str, verksamhet: str) -> dict[str, float]:  # noqa: ANN001
    """The budget, compared value and deviation of one economy row, by role."""
    out: dict[str, float] = {}
    for e in enriched(path).ekonomi:
        if e.cell.tabell == tabell and e.cell.rad_namn == verksamhet and e.roll is not None and e.cell.enhet != "%":
            out[e.roll] = e.cell.varde
    return out


def test_budget_comparison_pairs_the_forecast_after_transfers_when_the_arithmetic_says_so() -> None:
    # 000 l.4490 'Stöd och service tillpersoner med funktionsnedsättning 316,9 317,4 316,9 0,0': Budget 2020 (netto),
    # Prognos före, Prognos efter, Avvikelse. 316,9 − 316,9 = 0,0: the deviation is after the transfers.
    got = _comparison(
        T1_RINKEBY, "Uppföljning av driftbudget (2)", "Stöd och service tillpersoner med funktionsnedsättning"
    )
    assert got == {"budget": 316.9, "jamfort": 316.9, "avvikelse": 0.0}
    # 000 l.4467 'Individ- och familjeomsorg 285,7 288,8 288,8 -3,1'
    got = _comparison(T1_RINKEBY, "Uppföljning av driftbudget (2)", "Individ- och familjeomsorg")
    assert got == {"budget": 285.7, "jamfort": 288.8, "avvikelse": -3.1}


def test_budget_comparison_takes_the_outcome_after_transfers_beside_a_deviation_after_them() -> None:
    # 001 l.2730 'Förskoleverksamhet': Budget netto 407,3, Bokslut före 403,0, Bokslut efter 407,3, Avvikelse efter
    # 0,0. The old query paired 403,0 (före) with the deviation after transfers.
    got = _comparison(VB_HASSELBY, "Analys av resultaträkning - uppföljning av driftbudget (2)", "Förskoleverksamhet")
    assert got == {"budget": 407.3, "jamfort": 407.3, "avvikelse": 0.0}
    # 004 l.5534-5535 'Totalt 1487,5 -229,3 1258,2 1207,5 1210,9 47,3 35,5': netto budget 1258,2, efter 1210,9,
    # Avvikelse 2021 efter 47,3 (the 2020 deviation 35,5 is another year).
    got = _comparison(VB_NORRMALM, "Analys av årsresultat 2021", "Totalt")
    assert got == {"budget": 1258.2, "jamfort": 1210.9, "avvikelse": 47.3}


def test_budget_comparison_never_mixes_gross_outcome_with_net_budget() -> None:
    # 001 l.2752 'Barn och ungdom 189,8 -25,2 166,1 -19,9 18,4 -4,8': budget and outcome are printed as Kostnader and
    # Intäkter only; the net deviation 18,4 (2020) is compared, gross 'Utfall Kostnader' 166,1 is not.
    got = _comparison(VB_HASSELBY, "Individ- och familjeomsorg", "Barn och ungdom")
    assert got == {"avvikelse": 18.4}


def test_a_plans_differens_between_budget_years_is_no_deviation() -> None:
    # 003 l.1583-: 'Budget 2020 Netto | Budget 2019 Netto | Differens' compares two budgets.
    report = enriched(VP_RINKEBY)
    assert not report.ekonomiavvikelser
    assert all(e.roll is None for e in report.ekonomi)


def test_economy_deviations_are_rows_with_a_non_zero_deviation_for_the_year() -> None:
    rows = {(t[0], r[0]) for t, r in enriched(T1_RINKEBY).ekonomiavvikelser}
    # 000 l.4509 'Administration 29,7 18,6 11,1' deviates; l.4507 'Nämnd 2,5 2,5 0,0' does not.
    assert ("Nämnd och förvaltningsadministration", "Administration") in rows
    assert ("Nämnd och förvaltningsadministration", "Nämnd") not in rows


# --- plan evidence ------------------------------------------------------------------------------------------


def test_plan_note_replaces_an_earlier_note_instead_of_stacking() -> None:
    reason = "kolumnerna kan inte bestämmas säkert"
    once = plan_note(reason, 75.0, 75.0, (75.0, 75.0))
    assert once == reason + "; the plan (VP) gives the same targets"
    assert plan_note(once, 75.0, 75.0, (75.0, 75.0)) == once
    differs = plan_note(once, 75.0, None, (80.0, None))
    assert differs == reason + "; the plan (VP) gives the targets 80"
    assert base_reason(differs) == reason
    assert plan_note(differs, 75.0, None, None) == reason  # the plan went: its note goes too
    assert plan_note(None, 1.0, 1.0, (1.0, 1.0)) is None


# --- the export is what the loader stores -------------------------------------------------------------------


def test_parse_json_exports_the_enrichment() -> None:
    result = CliRunner().invoke(main, ["parse", str(VB_NORRMALM), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    row = next(r for r in doc["indikatorer"] if r["rad"] == 3485)
    assert (row["arsmal_uppnatt"], row["riktning"], row["avvikelse"]) == (False, "lagre", True)
    assert "Max 10 personer" in row["arsmal_uppnatt_grund"]
    assert row["indikator_nyckel"] == identify(row["namn"]).nyckel
    cell = next(
        c
        for c in doc["ekonomi"]
        if c["tabell"] == "Analys av årsresultat 2021"
        and c["rad_namn"] == "Totalt"
        and c["kolumn"].startswith("Avvikelse 2021")
    )
    assert (cell["storhet"], cell["resultatoverforing"], cell["kolumn_ar"], cell["jamforelse_roll"]) == (
        "avvikelse",
        "efter",
        2021,
        "avvikelse",
    )
    assert any(d["rad_namn"] == "Totalt" for d in doc["ekonomiavvikelser"])


def test_parse_prints_the_data_quality_notes() -> None:
    result = CliRunner().invoke(main, ["parse", str(VB_NORRMALM)])
    assert result.exit_code == 0
    # 004 l.5534: the Bokslut efter column of 'Analys av årsresultat 2021' does not add up to its Totalt 1210,9.
    assert "summa_avviker, line 5534:" in result.output
    assert "1210,9" in result.output
