"""Shared dimensions: committees, report periods and indicator definitions (upserted, never duplicated)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, SmallInteger, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from malbas.models.base import Base, Keyed
from malbas.vocabulary import IndikatorNiva, NamndTyp, Rapporttyp, Riktning, sql_in

if TYPE_CHECKING:
    from malbas.models.indicators import Indikatoralias, Indikatorrad, Utfall
    from malbas.models.report import Rapport


class Namnd(Keyed, Base):
    __tablename__ = "namnd"
    __table_args__ = (
        CheckConstraint(sql_in("typ", NamndTyp), name="typ"),
        {"comment": "A committee (nämnd) that publishes reports: a district committee or a city-wide one."},
    )

    namn: Mapped[str] = mapped_column(Text, comment="Full name as first printed, e.g. 'Norrmalms stadsdelsnämnd'.")
    kortnamn: Mapped[str] = mapped_column(
        Text,
        unique=True,
        comment="Short name, e.g. 'Norrmalm'; the key, so spelling variants of the full name are one committee.",
    )
    typ: Mapped[str] = mapped_column(Text, comment="stadsdelsnamnd or facknamnd.")

    rapporter: Mapped[list[Rapport]] = relationship(back_populates="namnd")

    def __repr__(self) -> str:
        return f"Namnd({self.namn!r})"


class Period(Keyed, Base):
    __tablename__ = "period"
    __table_args__ = (
        UniqueConstraint("ar", "rapporttyp"),
        CheckConstraint(sql_in("rapporttyp", Rapporttyp), name="rapporttyp"),
        CheckConstraint("startdatum <= slutdatum", name="datum"),
        {"comment": "A reporting period: year + report kind (VP plan, T1 Jan-Apr, T2 Jan-Aug, VB whole year)."},
    )

    ar: Mapped[int] = mapped_column(SmallInteger, comment="Calendar year.")
    rapporttyp: Mapped[str] = mapped_column(Text, comment="VP, T1, T2 or VB.")
    etikett: Mapped[str] = mapped_column(Text, comment="Label, e.g. 'Tertial 1 2020', 'VB 2021'.")
    startdatum: Mapped[date] = mapped_column(Date, comment="First day the period covers.")
    slutdatum: Mapped[date] = mapped_column(Date, comment="Last day the period covers.")
    ordning: Mapped[int] = mapped_column(SmallInteger, comment="Sort key within a year: VP 0, T1 1, T2 2, VB 3.")

    rapporter: Mapped[list[Rapport]] = relationship(back_populates="period")

    def __repr__(self) -> str:
        return f"Period({self.etikett!r})"


class Indikator(Keyed, Base):
    __tablename__ = "indikator"
    __table_args__ = (
        CheckConstraint(sql_in("niva", IndikatorNiva), name="niva"),
        CheckConstraint(sql_in("riktning", Riktning), name="riktning"),
        {
            "comment": "An indicator shared across reports and districts: one row per indicator, whatever its "
            "spelling (the spellings seen are in indikatoralias)."
        },
    )

    nyckel: Mapped[str] = mapped_column(
        Text,
        unique=True,
        comment="Identity key: the name's words stemmed (Swedish), so inflection, punctuation and, for KF "
        "indicators, typos of one name share it.",
    )
    namn: Mapped[str] = mapped_column(
        Text, comment="Canonical name: the city's wording for a KF indicator (reference table), else as first printed."
    )
    enhet: Mapped[str | None] = mapped_column(Text, comment="Usual unit (%, st, kr …), if any.")
    niva: Mapped[str] = mapped_column(Text, comment="KF when any report lists it under a KF goal, else namnd.")
    riktning: Mapped[str | None] = mapped_column(
        Text,
        comment="Which way is better: hogre or lagre, from the KF reference table or the name; NULL when "
        "nothing decides (a row's own text cells, e.g. 'Max 10 personer', may still decide its verdict).",
    )
    riktning_grund: Mapped[str | None] = mapped_column(Text, comment="The evidence for riktning, or why it is unknown.")

    rader: Mapped[list[Indikatorrad]] = relationship(back_populates="indikator")
    alias: Mapped[list[Indikatoralias]] = relationship(back_populates="indikator", viewonly=True)
    utfall: Mapped[list[Utfall]] = relationship(back_populates="indikator", viewonly=True)

    def __repr__(self) -> str:
        return f"Indikator({self.namn!r})"
