"""Goals (the three-level tree), their text blocks, activities and reported deviations."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, Computed, Date, ForeignKey, Index, Integer, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from malbas.models.base import Base, FromReport
from malbas.vocabulary import AvvikelseTyp, Bedomning, Niva, sql_in

if TYPE_CHECKING:
    from malbas.models.economy import Ekonomirad
    from malbas.models.indicators import Indikatorrad
    from malbas.models.report import Rapport


class Mal(FromReport, Base):
    __tablename__ = "mal"
    __table_args__ = (
        CheckConstraint(sql_in("niva", Niva), name="niva"),
        CheckConstraint(sql_in("bedomning", Bedomning), name="bedomning"),
        Index("ix_mal_rapport_nummer", "rapport_id", "nummer"),
        {"comment": "A goal within a report: inriktningsmål → KF:s mål för verksamhetsområdet → nämndmål."},
    )

    overordnat_id: Mapped[int | None] = mapped_column(
        ForeignKey("mal.id", ondelete="CASCADE"), index=True, comment="The enclosing goal one level up."
    )
    niva: Mapped[str] = mapped_column(Text, comment="inriktningsmal, verksamhetsomradesmal or namndmal.")
    nummer: Mapped[str | None] = mapped_column(Text, comment="Goal number without trailing dot, e.g. '1.2.1'.")
    titel: Mapped[str] = mapped_column(Text, comment="Goal title.")
    bedomning: Mapped[str | None] = mapped_column(
        Text, comment="Assessment: helt, delvis, inte (Uppfylls helt/delvis/inte); NULL when none is printed."
    )
    rad: Mapped[int] = mapped_column(Integer, comment="Source line of the goal marker.")

    rapport: Mapped[Rapport] = relationship(back_populates="mal")
    overordnat: Mapped[Mal | None] = relationship(back_populates="undermal", remote_side="Mal.id")
    undermal: Mapped[list[Mal]] = relationship(back_populates="overordnat", passive_deletes=True)
    texter: Mapped[list[Maltext]] = relationship(back_populates="mal", passive_deletes=True, order_by="Maltext.rad")
    indikatorrader: Mapped[list[Indikatorrad]] = relationship(back_populates="mal", passive_deletes=True)
    aktiviteter: Mapped[list[Aktivitet]] = relationship(back_populates="mal", passive_deletes=True)

    def __repr__(self) -> str:
        return f"Mal({self.nummer!r}, {self.titel[:40]!r})"


class Maltext(FromReport, Base):
    __tablename__ = "maltext"
    __table_args__ = (
        Index("ix_maltext_tsv", "tsv", postgresql_using="gin"),
        {"comment": "A text block under a goal: Analys, Förväntat resultat, Beskrivning, Jämställdhetsanalys …"},
    )

    mal_id: Mapped[int] = mapped_column(ForeignKey("mal.id", ondelete="CASCADE"), index=True, comment="The goal.")
    rubrik: Mapped[str] = mapped_column(Text, comment="Block heading (Text when the prose has none).")
    text: Mapped[str] = mapped_column(Text, comment="The block's text, paragraphs joined.")
    rad: Mapped[int] = mapped_column(Integer, comment="Source line where the block starts.")
    tsv: Mapped[str] = mapped_column(
        TSVECTOR, Computed("sokvektor(text)", persisted=True), comment="Swedish search vector."
    )

    mal: Mapped[Mal] = relationship(back_populates="texter")


class Aktivitet(FromReport, Base):
    __tablename__ = "aktivitet"
    __table_args__ = ({"comment": "An activity (or KF-uppdrag when under a KF goal) with dates and deviation flag."},)

    mal_id: Mapped[int | None] = mapped_column(
        ForeignKey("mal.id", ondelete="CASCADE"), index=True, comment="The goal it belongs to."
    )
    namn: Mapped[str] = mapped_column(Text, comment="Activity text.")
    kf_uppdrag: Mapped[bool] = mapped_column(Boolean, comment="True for assignments under a KF goal (KF-uppdrag).")
    startdatum: Mapped[date | None] = mapped_column(Date, comment="Start date.")
    slutdatum: Mapped[date | None] = mapped_column(Date, comment="End date.")
    status: Mapped[str | None] = mapped_column(Text, comment="Status marker printed before the name (✓ ! ⓘ …).")
    avvikelse: Mapped[bool] = mapped_column(Boolean, comment="True when the Avvikelse column is marked.")
    analys: Mapped[str | None] = mapped_column(Text, comment="The row's Analys comment.")
    rad: Mapped[int] = mapped_column(Integer, comment="Source line where the row starts.")

    rapport: Mapped[Rapport] = relationship(back_populates="aktiviteter")
    mal: Mapped[Mal | None] = relationship(back_populates="aktiviteter")
    avvikelser: Mapped[list[Avvikelse]] = relationship(back_populates="aktivitet", passive_deletes=True)


class Avvikelse(FromReport, Base):
    __tablename__ = "avvikelse"
    __table_args__ = (
        CheckConstraint(sql_in("typ", AvvikelseTyp), name="typ"),
        CheckConstraint(
            "num_nonnulls(aktivitet_id, indikatorrad_id, mal_id, ekonomirad_id) = 1", name="exakt_ett_objekt"
        ),
        Index("ix_avvikelse_tsv", "tsv", postgresql_using="gin"),
        {"comment": "A reported deviation with its explanation, pointing at what deviates."},
    )

    typ: Mapped[str] = mapped_column(Text, comment="What deviates: aktivitet, indikator, mal or ekonomi.")
    aktivitet_id: Mapped[int | None] = mapped_column(
        ForeignKey("aktivitet.id", ondelete="CASCADE"), index=True, comment="The deviating activity."
    )
    indikatorrad_id: Mapped[int | None] = mapped_column(
        ForeignKey("indikatorrad.id", ondelete="CASCADE"), index=True, comment="The indicator row off target."
    )
    mal_id: Mapped[int | None] = mapped_column(
        ForeignKey("mal.id", ondelete="CASCADE"), index=True, comment="The goal not fully met."
    )
    ekonomirad_id: Mapped[int | None] = mapped_column(
        ForeignKey("ekonomirad.id", ondelete="CASCADE"), index=True, comment="The economy row with a deviation."
    )
    forklaring: Mapped[str | None] = mapped_column(Text, comment="The explanation text as printed.")
    rad: Mapped[int] = mapped_column(Integer, comment="Source line of the deviation.")
    tsv: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("sokvektor(coalesce(forklaring, ''))", persisted=True),
        comment="Swedish search vector.",
    )

    rapport: Mapped[Rapport] = relationship(back_populates="avvikelser")
    aktivitet: Mapped[Aktivitet | None] = relationship(back_populates="avvikelser")
    indikatorrad: Mapped[Indikatorrad | None] = relationship(back_populates="avvikelser")
    mal: Mapped[Mal | None] = relationship()
    ekonomirad: Mapped[Ekonomirad | None] = relationship()
