"""Indicator rows of a report and their outcomes by kön."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from malbas.models.base import Base, FromReport
from malbas.vocabulary import IdentitetGrund, Kon, Riktning, sql_in

if TYPE_CHECKING:
    from malbas.models.dimensions import Indikator
    from malbas.models.goals import Avvikelse, Mal
    from malbas.models.report import Rapport


class Indikatorrad(FromReport, Base):
    __tablename__ = "indikatorrad"
    __table_args__ = (
        Index("ix_indikatorrad_indikator_rapport", "indikator_id", "rapport_id"),
        Index("ix_indikatorrad_tsv", "tsv", postgresql_using="gin"),
        CheckConstraint(sql_in("riktning", Riktning), name="riktning"),
        # Covering indexes for the comparison queries: forecasts and targets without reading the wide rows.
        Index(
            "ix_indikatorrad_prognos",
            "rapport_id",
            "indikator_id",
            postgresql_include=["prognos"],
            postgresql_where=text("prognos IS NOT NULL"),
        ),
        # Verdicts, targets and forecasts per report (maluppfyllelse_per_namnd), id for each row's outcome.
        Index(
            "ix_indikatorrad_rapport_bedomning",
            "rapport_id",
            postgresql_include=["id", "kf_indikator", "arsmal_uppnatt", "arsmal", "prognos"],
        ),
        {
            "comment": "One indicator row of a report table: targets, forecast, previous outcome, text cells and "
            "the row's Analys. Outcomes by kön are in utfall."
        },
    )

    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikator.id"), comment="The indicator definition.")
    mal_id: Mapped[int | None] = mapped_column(
        ForeignKey("mal.id", ondelete="CASCADE"), index=True, comment="The enclosing goal."
    )
    namn: Mapped[str] = mapped_column(Text, comment="Indicator name as printed in this report.")
    kf_indikator: Mapped[bool] = mapped_column(Boolean, comment="True when listed under a KF goal (KF-indikator).")
    enhet: Mapped[str | None] = mapped_column(Text, comment="Unit of the row's values (%, st, …).")
    period: Mapped[str | None] = mapped_column(Text, comment="Period cell, e.g. 'Tertial 1 2020', 'VB 2021'.")
    periodicitet: Mapped[str | None] = mapped_column(Text, comment="Measurement frequency in plans (Tertial/År).")
    foregaende_utfall: Mapped[Decimal | None] = mapped_column(
        Numeric, comment="Previous outcome (Periodens utfall VB of the year before)."
    )
    prognos: Mapped[Decimal | None] = mapped_column(Numeric, comment="Full-year forecast (Prognos helår).")
    arsmal: Mapped[Decimal | None] = mapped_column(Numeric, comment="The committee's annual target (Årsmål).")
    kf_arsmal: Mapped[Decimal | None] = mapped_column(Numeric, comment="The council's annual target (KF:s årsmål).")
    text: Mapped[dict] = mapped_column(JSONB, comment="Text cells by column, e.g. {'kf_arsmal': 'Tas fram av nämnd'}.")
    celler: Mapped[dict] = mapped_column(JSONB, comment="Raw text of every assigned cell, by column.")
    analys: Mapped[str | None] = mapped_column(Text, comment="The row's Analys comment.")
    osaker: Mapped[str | None] = mapped_column(
        Text, comment="NULL when the columns were assigned with certainty, else the reason they were not."
    )
    riktning: Mapped[str | None] = mapped_column(
        Text,
        comment="The direction the verdict used: hogre or lagre (from the row's text cells, the KF reference "
        "table or the name); NULL when nothing decides or the target is a band ('+/- 1 %').",
    )
    arsmal_uppnatt: Mapped[bool | None] = mapped_column(
        Boolean,
        comment="Whether the årsmål is met: the full-year forecast in T1/T2, the outcome in VB, in the "
        "indicator's direction; NULL when it cannot be told (arsmal_uppnatt_grund says why; always in plans).",
    )
    arsmal_uppnatt_grund: Mapped[str | None] = mapped_column(
        Text,
        comment="Why: the comparison and the evidence for the direction (e.g. 'utfall 12,1 > årsmål 10; lägre "
        "är bättre (KF:s årsmål ''Max 10 personer'')'), or why there is no verdict.",
    )
    rad: Mapped[int] = mapped_column(Integer, comment="Source line where the row starts.")
    tsv: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("sokvektor(namn || ' ' || coalesce(analys, ''))", persisted=True),
        comment="Swedish search vector over name and Analys.",
    )

    rapport: Mapped[Rapport] = relationship(back_populates="indikatorrader")
    indikator: Mapped[Indikator] = relationship(back_populates="rader")
    mal: Mapped[Mal | None] = relationship(back_populates="indikatorrader")
    utfall: Mapped[list[Utfall]] = relationship(back_populates="indikatorrad", passive_deletes=True)
    avvikelser: Mapped[list[Avvikelse]] = relationship(back_populates="indikatorrad", passive_deletes=True)

    def __repr__(self) -> str:
        return f"Indikatorrad({self.namn[:40]!r})"


class Indikatoralias(FromReport, Base):
    __tablename__ = "indikatoralias"
    __table_args__ = (
        UniqueConstraint("rapport_id", "namn"),
        CheckConstraint(sql_in("grund", IdentitetGrund), name="grund"),
        # The distinct spellings, read by skipping along the index; the reports that print each indicator.
        Index("ix_indikatoralias_indikator_namn", "indikator_id", "namn"),
        Index("ix_indikatoralias_indikator_rapport", "indikator_id", "rapport_id"),
        {
            "comment": "Every spelling of an indicator seen, with the report it comes from and how it was "
            "matched to its indicator."
        },
    )

    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikator.id"), comment="The indicator.")
    namn: Mapped[str] = mapped_column(Text, comment="The name as printed in the report.")
    grund: Mapped[str] = mapped_column(
        Text,
        comment="How it matched: namn (its own stemmed words), referens (a KF indicator's key in the reference "
        "table), alias (a wording the table lists), stavning (within typo distance of a KF indicator).",
    )
    rad: Mapped[int] = mapped_column(Integer, comment="Source line of the first row with this spelling.")

    indikator: Mapped[Indikator] = relationship(back_populates="alias")


class Utfall(FromReport, Base):
    __tablename__ = "utfall"
    __table_args__ = (
        UniqueConstraint("indikatorrad_id", "kon"),
        CheckConstraint(sql_in("kon", Kon), name="kon"),
        Index("ix_utfall_indikator_kon", "indikator_id", "kon"),
        # A report's outcomes by kön in indicator order (prognostraffsakerhet merges them with the forecasts).
        Index(
            "ix_utfall_rapport_kon_indikator",
            "rapport_id",
            "kon",
            "indikator_id",
            postgresql_include=["indikatorrad_id", "varde"],
        ),
        {"comment": "Periodens utfall by kön: one row per indicator row and kon (totalt, kvinnor, man)."},
    )

    indikatorrad_id: Mapped[int] = mapped_column(
        ForeignKey("indikatorrad.id", ondelete="CASCADE"), comment="The indicator row."
    )
    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikator.id"), comment="The indicator (denormalised).")
    kon: Mapped[str] = mapped_column(Text, comment="totalt, kvinnor (kvinnor/flickor) or man (män/pojkar).")
    varde: Mapped[Decimal | None] = mapped_column(Numeric, comment="The outcome as a number; NULL for text cells.")
    text: Mapped[str] = mapped_column(Text, comment="The cell as printed.")
    rad: Mapped[int] = mapped_column(Integer, comment="Source line of the indicator row.")

    indikatorrad: Mapped[Indikatorrad] = relationship(back_populates="utfall")
    indikator: Mapped[Indikator] = relationship(back_populates="utfall", viewonly=True)
