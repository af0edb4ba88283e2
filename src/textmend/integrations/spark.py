"""Repair text columns of a Spark DataFrame with a vectorised (Arrow) UDF.

``fix_column`` is a ``pandas_udf``: Spark hands each Python worker Arrow
batches of a column, and textmend repairs them as pandas Series. Nulls stay
null. The Profile, a small frozen value, travels inside the UDF (911 bytes
pickled, in the task binary Spark broadcasts once per stage); the compiled
pipeline does not pickle, so each Python worker compiles the Profile once and
keeps it for every batch after.

Spark starts too slowly for a doctest; the tests run this on ``local[2]``:

>>> from pyspark.sql import SparkSession  # doctest: +SKIP
>>> spark = SparkSession.builder.master("local[2]").getOrCreate()  # doctest: +SKIP
>>> df = spark.createDataFrame([(1, "caf&eacute;"), (2, None)], "n int, t string")  # doctest: +SKIP
>>> df.withColumn("t", fix_column("t")).collect()  # doctest: +SKIP
[Row(n=1, t='café'), Row(n=2, t=None)]
"""

from __future__ import annotations

from collections.abc import Iterable

from textmend.integrations._engines import missing_engine

try:
    import pandas as pd
    from pyspark.sql import Column, DataFrame
    from pyspark.sql.functions import col as column_named
    from pyspark.sql.pandas.functions import pandas_udf
    from pyspark.sql.types import StringType
except ImportError as error:
    raise missing_engine(error, "spark") from error

from textmend.integrations import pandas as _pandas
from textmend.integrations._columns import text_columns
from textmend.profiles import DEFAULT_PROFILE, Profile, get_profile

__all__ = ["fix_column", "fix_frame"]


def fix_column(col: Column | str, profile: Profile | str = DEFAULT_PROFILE) -> Column:
    """A string column with each value repaired as ``textmend.fix`` repairs it.

    ``col`` is a column name or a ``Column``:
    ``df.withColumn("text", fix_column("text"))``. Given a name, the result
    is named so too.
    """
    if not isinstance(col, (Column, str)):
        raise TypeError(f"fix_column() takes a column name or a Column, not {type(col).__name__}")
    chosen = get_profile(profile)

    def textmend_fix(texts: pd.Series) -> pd.Series:
        return _pandas.fix_series(texts, chosen)

    udf = pandas_udf(textmend_fix, StringType())  # type: ignore[call-overload]
    named = column_named(col) if isinstance(col, str) else col
    fixed: Column = udf(named)
    return fixed.alias(col) if isinstance(col, str) else fixed


def fix_frame(
    df: DataFrame,
    columns: Iterable[str] | None = None,
    profile: Profile | str = DEFAULT_PROFILE,
) -> DataFrame:
    """``df`` with ``columns`` (default: every string column) repaired, the rest as it was.

    Column names and types are checked here, before anything runs.
    """
    if not isinstance(df, DataFrame):
        raise TypeError(f"fix_frame() takes a Spark DataFrame, not {type(df).__name__}")
    types = {field.name: field.dataType for field in df.schema.fields}
    names = text_columns(
        types, columns, lambda kind: isinstance(kind, StringType), lambda kind: kind.simpleString()
    )
    chosen = get_profile(profile)
    # Backquoted: a dot in a name would otherwise read as a struct field.
    return df.withColumns(
        {name: fix_column(column_named(f"`{name.replace('`', '``')}`"), chosen) for name in names}
    )
