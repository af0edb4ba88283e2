"""Run textmend inside dataframe and cluster engines: pandas and Dask.

Import a submodule by name; ``import textmend`` never imports pandas or Dask:

>>> from textmend.integrations import pandas as tm_pd  # doctest: +SKIP
>>> tm_pd.fix_series(frame["body"])  # doctest: +SKIP
"""
