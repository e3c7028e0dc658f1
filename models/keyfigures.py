"""Key-figure tables (nyckeltal): figures of a report's tables that are neither indicators nor economy."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Index, Integer, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from malbas.models.base import Base, FromReport
from malbas.vocabulary import Kon, sql_in

if TYPE_CHECKING:
    from malbas.models.report import Rapport


class Nyckeltal(FromReport, Base):
    __tablename__ = "nyckeltal"
    __table_args__ = (
        CheckConstraint(sql_in("kon", Kon), name="kon"),
        Index("ix_nyckeltal_tabell_radnamn", "tabell", "radnamn"),
        {
            "comment": "A figure of a key-figure table: statistics by year, monthly key figures, ratios, counts "
            "(neither an indicator nor an economy table), one row per cell."
        },
    )

    tabell: Mapped[str] = mapped_column(Text, comment="The table's name: the heading above it, else its row heading.")
    radnamn: Mapped[str] = mapped_column(Text, comment="The row label as printed, e.g. 'Orosanmälningar', 'Varav män'.")
    kolumn: Mapped[str] = mapped_column(
        Text, comment="The column label as printed, e.g. '2020', 'Jan', 'Snitt 2020', 'Förändring', 'Ja delvis'."
    )
    varde: Mapped[Decimal] = mapped_column(Numeric, comment="The value as printed (a change in % as its number).")
    enhet: Mapped[str | None] = mapped_column(Text, comment="'%' where the cell prints it, else NULL.")
    kon: Mapped[str | None] = mapped_column(
        Text, comment="kvinnor or man where the row says so ('Varav kvinnor', 'Pojkar'), else NULL."
    )
    text: Mapped[str] = mapped_column(Text, comment="The cell as printed.")
    rad: Mapped[int] = mapped_column(Integer, comment="Source line of the row's values.")
    tabell_rad: Mapped[int] = mapped_column(Integer, comment="Source line of the table's header.")

    rapport: Mapped[Rapport] = relationship(back_populates="nyckeltal")
