"""Run textmend inside dataframe and cluster engines: pandas, Dask, Spark,
Hugging Face datasets, polars and datatrove.

Import a submodule by name; ``import textmend`` imports none of the engines:

>>> from textmend.integrations import pandas as tm_pd  # doctest: +SKIP
>>> tm_pd.fix_series(frame["body"])  # doctest: +SKIP
"""
