"""Economy tables: one table per heading, its rows (varav rows as children) and numeric cells."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, Numeric, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from malbas.models.base import Base, FromReport
from malbas.vocabulary import JamforelseRoll, Matt, Resultatoverforing, Storhet, sql_in

if TYPE_CHECKING:
    from malbas.models.report import Rapport


class Ekonomitabell(FromReport, Base):
    __tablename__ = "ekonomitabell"
    __table_args__ = ({"comment": "An economy table of a report, identified by the heading above it."},)

    rubrik: Mapped[str] = mapped_column(Text, index=True, comment="The table's heading.")
    rad: Mapped[int | None] = mapped_column(Integer, comment="Source line of the heading.")

    rapport: Mapped[Rapport] = relationship(back_populates="ekonomitabeller")
    rader: Mapped[list[Ekonomirad]] = relationship(back_populates="tabell", passive_deletes=True)


class Ekonomirad(FromReport, Base):
    __tablename__ = "ekonomirad"
    __table_args__ = ({"comment": "A row of an economy table; varav rows point at the row they belong to."},)

    tabell_id: Mapped[int] = mapped_column(
        ForeignKey("ekonomitabell.id", ondelete="CASCADE"), index=True, comment="The table."
    )
    foralder_id: Mapped[int | None] = mapped_column(
        ForeignKey("ekonomirad.id", ondelete="CASCADE"), comment="For varav rows: the row they are part of."
    )
    namn: Mapped[str] = mapped_column(Text, index=True, comment="Row label, e.g. 'Förskola', 'Totalt'.")
    overordnad: Mapped[str | None] = mapped_column(
        Text,
        comment="For a row that details another (varav rows, rows under a group heading): the label of the row or "
        "heading it details; NULL for a top-level row.",
    )
    rad: Mapped[int] = mapped_column(Integer, comment="Source line of the row's values.")

    tabell: Mapped[Ekonomitabell] = relationship(back_populates="rader")
    celler: Mapped[list[Ekonomicell]] = relationship(back_populates="ekonomirad", passive_deletes=True)
    foralder: Mapped[Ekonomirad | None] = relationship(remote_side="Ekonomirad.id")


class Ekonomicell(FromReport, Base):
    __tablename__ = "ekonomicell"
    __table_args__ = (
        CheckConstraint(sql_in("storhet", Storhet), name="storhet"),
        CheckConstraint(sql_in("matt", Matt), name="matt"),
        CheckConstraint(sql_in("resultatoverforing", Resultatoverforing), name="resultatoverforing"),
        CheckConstraint(sql_in("jamforelse_roll", JamforelseRoll), name="jamforelse_roll"),
        {"comment": "A numeric cell of an economy table, with the typed meaning of its column."},
    )

    ekonomirad_id: Mapped[int] = mapped_column(
        ForeignKey("ekonomirad.id", ondelete="CASCADE"), index=True, comment="The row."
    )
    kolumn: Mapped[str] = mapped_column(Text, comment="Column label, e.g. 'Budget 2020', 'Avvikelse'.")
    kolumn_nr: Mapped[int] = mapped_column(
        Integer, server_default="0", comment="Position of the column in its table, from 1 (left to right)."
    )
    storhet: Mapped[str] = mapped_column(
        Text,
        server_default="ovrigt",
        comment="What the column holds, read from its label: budget, utfall (Utfall/Bokslut), prognos, "
        "avvikelse (Avvikelse/Differens), prognosavvikelse, justering, resultat, ovrigt.",
    )
    matt: Mapped[str | None] = mapped_column(
        Text, comment="Which money the column counts: netto, kostnad, intakt, brutto; NULL when the label does not say."
    )
    resultatoverforing: Mapped[str | None] = mapped_column(
        Text, comment="fore or efter the result units' transfers between years; NULL when the label does not say."
    )
    kolumn_ar: Mapped[int | None] = mapped_column(
        SmallInteger, comment="The year the column label names (the last one), NULL when it names none."
    )
    jamforelse_roll: Mapped[str | None] = mapped_column(
        Text,
        comment="Role in the table's budget comparison for the report's year: budget, jamfort (the outcome in "
        "VB, the forecast in T1/T2, same measure as the budget) or avvikelse; NULL for other columns and in plans.",
    )
    varde: Mapped[Decimal] = mapped_column(Numeric, comment="The value as printed (not corrected).")
    enhet: Mapped[str | None] = mapped_column(Text, comment="mnkr, tkr or % (proved from totals when not printed).")
    text: Mapped[str | None] = mapped_column(Text, comment="The cell as printed.")
    rad: Mapped[int] = mapped_column(Integer, comment="Source line of the value.")

    ekonomirad: Mapped[Ekonomirad] = relationship(back_populates="celler")
