"""One loaded report, its report-level text sections and data-quality notes, and the load history."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    DDL,
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column, relationship

from malbas.models.base import Base, FromReport, Keyed
from malbas.vocabulary import KvalitetTyp, LaddningStatus, Textform, sql_in

if TYPE_CHECKING:
    from malbas.models.dimensions import Namnd, Period
    from malbas.models.economy import Ekonomitabell
    from malbas.models.goals import Aktivitet, Avvikelse, Mal
    from malbas.models.indicators import Indikatorrad
    from malbas.models.keyfigures import Nyckeltal


# The search vector of every searchable text column. PostgreSQL refuses a tsvector over 1 MB, which a
# paragraph of some hundred thousand distinct words reaches; rather than fail the report, the beginning that
# fits is indexed (the text itself is stored whole). Short texts take the plain path, without the
# subtransaction the exception block costs. Migration 0004 creates it; `create_all` does too (below).
SOKVEKTOR_SQL = """
CREATE OR REPLACE FUNCTION sokvektor(doc text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    n integer := length(doc);
BEGIN
    IF octet_length(doc) < 200000 THEN  -- a tsvector is at most about 5 times its text: always fits
        RETURN to_tsvector('swedish'::regconfig, doc);
    END IF;
    LOOP
        BEGIN
            RETURN to_tsvector('swedish'::regconfig, left(doc, n));
        EXCEPTION WHEN program_limit_exceeded THEN
            n := n * 3 / 4;
        END;
    END LOOP;
END
$$;
COMMENT ON FUNCTION sokvektor(text) IS
    'Swedish full-text search vector of a text; of its beginning when the whole would exceed tsvector''s 1 MB.';
"""
event.listen(Base.metadata, "before_create", DDL(SOKVEKTOR_SQL))


class Rapport(Keyed, Base):
    __tablename__ = "rapport"
    __table_args__ = (
        UniqueConstraint("namnd_id", "period_id"),
        CheckConstraint(sql_in("textform", Textform), name="textform"),
        {"comment": "One loaded report; at most one current report per namnd + period (a corrected one replaces it)."},
    )

    namnd_id: Mapped[int] = mapped_column(ForeignKey("namnd.id"), index=True, comment="The committee.")
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True, comment="The period.")
    kalla: Mapped[str] = mapped_column(Text, comment="Source file name.")
    sha256: Mapped[str] = mapped_column(Text, unique=True, comment="SHA-256 of the source file bytes.")
    textform: Mapped[str] = mapped_column(
        Text,
        comment="layout (pdftotext-like), tabbed (markdown-like), or pdf (read from the PDF into the tabbed form).",
    )
    sidor: Mapped[list[int] | None] = mapped_column(
        ARRAY(Integer),
        nullable=True,
        comment="PDF input: the line of the extracted text (malbas extract) on which each page begins, page 1 first; "
        "the page of a row with line rad is the number of entries <= rad. NULL for text input.",
    )
    parser_version: Mapped[str] = mapped_column(Text, comment="Version of the parser that produced the rows.")
    laddad: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), comment="When the report was loaded."
    )
    antal: Mapped[dict] = mapped_column(JSONB, comment="Row counts per entity written for this report.")
    varningar: Mapped[list] = mapped_column(JSONB, comment="Parser warnings for this report.")
    tackning: Mapped[Decimal | None] = mapped_column(
        Numeric(5, 4),
        nullable=True,
        comment="Self-audit: the share (0-1) of the numbers inside the report's tables that the parser accounted "
        "for (stored in a cell, or part of a name, period, header, date); the numbers left over are "
        "datakvalitet notes of typ ej_redovisat. NULL for reports loaded before the audit existed.",
    )

    namnd: Mapped[Namnd] = relationship(back_populates="rapporter")
    period: Mapped[Period] = relationship(back_populates="rapporter")
    mal: Mapped[list[Mal]] = relationship(back_populates="rapport", passive_deletes=True, order_by="Mal.rad")
    indikatorrader: Mapped[list[Indikatorrad]] = relationship(back_populates="rapport", passive_deletes=True)
    aktiviteter: Mapped[list[Aktivitet]] = relationship(back_populates="rapport", passive_deletes=True)
    avvikelser: Mapped[list[Avvikelse]] = relationship(back_populates="rapport", passive_deletes=True)
    ekonomitabeller: Mapped[list[Ekonomitabell]] = relationship(back_populates="rapport", passive_deletes=True)
    avsnitt: Mapped[list[Textavsnitt]] = relationship(back_populates="rapport", passive_deletes=True)
    datakvalitet: Mapped[list[Datakvalitet]] = relationship(back_populates="rapport", passive_deletes=True)
    nyckeltal: Mapped[list[Nyckeltal]] = relationship(back_populates="rapport", passive_deletes=True)

    def __repr__(self) -> str:
        return f"Rapport({self.kalla!r})"


class Textavsnitt(FromReport, Base):
    __tablename__ = "textavsnitt"
    __table_args__ = (
        Index("ix_textavsnitt_tsv", "tsv", postgresql_using="gin"),
        {"comment": "Report-level text sections: internal control, covid-19, Agenda 2030, summary analysis …"},
    )

    typ: Mapped[str] = mapped_column(Text, comment="Kind: sammanfattning, intern_kontroll, covid, agenda2030, …")
    rubrik: Mapped[str] = mapped_column(Text, comment="Heading as printed.")
    text: Mapped[str] = mapped_column(Text, comment="The section's text, paragraphs joined.")
    rad: Mapped[int] = mapped_column(Integer, comment="Source line of the heading.")
    tsv: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed("sokvektor(rubrik || ' ' || text)", persisted=True),
        comment="Swedish full-text search vector.",
    )

    rapport: Mapped[Rapport] = relationship(back_populates="avsnitt")


class Datakvalitet(FromReport, Base):
    __tablename__ = "datakvalitet"
    __table_args__ = (
        CheckConstraint(sql_in("typ", KvalitetTyp), name="typ"),
        {"comment": "Data-quality notes on a report: sums that do not add up, uncertain columns, numbers not read …"},
    )

    typ: Mapped[str] = mapped_column(
        Text,
        comment="Kind of note: ej_redovisat (a number in a table the parser did not read), indikator_osaker (an "
        "indicator row's columns uncertain), kolumn_osaker (an economy row's placement uncertain), summa_avviker (a "
        "printed total is not the sum of its rows), tabell_avviker (a sub-table disagrees with its summary), "
        "antal_avviker (a count the report states differs from what was read), identitet_motstridig (evidence for "
        "another nämnd, kind or year).",
    )
    meddelande: Mapped[str] = mapped_column(Text, comment="What was observed.")
    rad: Mapped[int | None] = mapped_column(Integer, comment="Source line, when the note is about one place.")

    rapport: Mapped[Rapport] = relationship(back_populates="datakvalitet")


class Laddning(Keyed, Base):
    __tablename__ = "laddning"
    __table_args__ = (
        CheckConstraint(sql_in("status", LaddningStatus), name="status"),
        {"comment": "Load history: one row per file per load run."},
    )

    korning: Mapped[uuid.UUID] = mapped_column(UUID, index=True, comment="The load run (one CLI invocation).")
    startad: Mapped[datetime] = mapped_column(DateTime(timezone=True), comment="When loading this file started.")
    avslutad: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), comment="When it ended.")
    status: Mapped[str] = mapped_column(
        Text,
        comment="running (only while its run is alive), loaded, skipped, replaced, failed, refused (the "
        "plausibility guard kept the loaded version), interrupted (the run ended first) or deleted.",
    )
    fil: Mapped[str] = mapped_column(Text, comment="Path of the file as given.")
    sha256: Mapped[str | None] = mapped_column(Text, comment="SHA-256 of the file, when it could be read.")
    rapport_id: Mapped[int | None] = mapped_column(
        ForeignKey("rapport.id", ondelete="SET NULL"), comment="The report written (or found), if any."
    )
    antal: Mapped[dict | None] = mapped_column(JSONB, comment="Row counts per entity.")
    fel: Mapped[str | None] = mapped_column(
        Text, comment="One-line reason: the error of a failed, refused or interrupted file, or why one was skipped."
    )
