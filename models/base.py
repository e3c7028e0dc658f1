"""Declarative base with a constraint naming convention, so Alembic migrations get stable names."""

from sqlalchemy import ForeignKey, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Keyed:
    """Mixin: an integer surrogate key, first in the table."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-10, comment="Surrogate key.")


class FromReport(Keyed):
    """Mixin for every stored fact: it points back to its source report and goes when the report goes."""

    rapport_id: Mapped[int] = mapped_column(
        ForeignKey("rapport.id", ondelete="CASCADE"), index=True, sort_order=-9, comment="Source report."
    )
