"""Repair text in polars: ``pl.col("text").textmend.fix()``, eager or lazy.

Importing this module registers the ``textmend`` expression namespace. A
``String`` column stays ``String`` and a ``Categorical`` one stays
``Categorical`` (each distinct value of a batch is repaired once); nulls stay
null. Any other dtype is refused when the expression runs.

>>> import polars as pl
>>> import textmend.integrations.polars
>>> frame = pl.DataFrame({"id": [1, 2, 3], "text": ["caf&eacute;", None, "naÃ¯ve"]})
>>> frame.with_columns(pl.col("text").textmend.fix())["text"].to_list()
['café', None, 'naïve']
"""

from __future__ import annotations

from textmend.integrations._engines import missing_engine

try:
    import polars as pl
except ImportError as error:
    raise missing_engine(error, "polars") from error

from textmend.pipeline import Pipeline, compile_profile
from textmend.profiles import DEFAULT_PROFILE, Profile, get_profile

__all__ = ["TextmendNamespace"]


@pl.api.register_expr_namespace("textmend")
class TextmendNamespace:
    """The ``textmend`` namespace of polars expressions."""

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr

    def fix(self, profile: Profile | str = DEFAULT_PROFILE) -> pl.Expr:
        """Each string repaired as ``textmend.fix`` repairs it, in the column's own dtype.

        >>> import polars as pl
        >>> topics = pl.Series("topic", ["SchÃ¶n", "SchÃ¶n", None], dtype=pl.Categorical)
        >>> out = pl.LazyFrame({"topic": topics}).select(pl.col("topic").textmend.fix())
        >>> out.collect()["topic"].to_list(), out.collect_schema()["topic"]
        (['Schön', 'Schön', None], Categorical)
        """
        # The Profile, not its compiled Pipeline, is what the plan holds: it
        # pickles, should the plan be sent elsewhere, and compiles once per process.
        chosen = get_profile(profile)
        return self._expr.map_batches(
            lambda series: _fix_series(series, compile_profile(chosen)),
            return_dtype=pl.dtype_of(self._expr),
            is_elementwise=True,
        )


def _fix_series(series: pl.Series, pipeline: Pipeline) -> pl.Series:
    if series.dtype == pl.String:
        return pl.Series(
            series.name,
            [None if text is None else pipeline.fix(text) for text in series.to_list()],
            dtype=pl.String,
        )
    if series.dtype == pl.Categorical:
        strings = series.cast(pl.String)
        distinct = strings.unique().drop_nulls()
        fixed = _fix_series(distinct, pipeline)
        repaired: pl.Series = strings.replace(distinct, fixed).cast(series.dtype)
        return repaired
    hint = "; decode bytes first (textmend.fix_bytes)" if series.dtype == pl.Binary else ""
    raise TypeError(
        f"textmend.fix() takes String or Categorical columns; column {series.name!r} "
        f"has dtype {series.dtype}{hint}"
    )
