"""The error an integration raises when its engine is not installed."""

from __future__ import annotations


def missing_engine(error: ImportError, extra: str) -> ImportError:
    """An ImportError that names the missing package and the extra that installs it.

    >>> print(missing_engine(ModuleNotFoundError("no pyspark", name="pyspark"), "spark"))
    textmend.integrations.spark needs pyspark, which is not installed: pip install 'textmend[spark]'

    """
    package = (error.name or extra).split(".")[0]  # "pyspark", where "pyspark.sql" failed
    return ImportError(
        f"textmend.integrations.{extra} needs {package}, which is not installed: "
        f"pip install 'textmend[{extra}]'"
    )
