"""Many inputs: the runner, its work units, where they run, and the report.

- ``runner``: reads files as streams, cuts them into chunks, keeps the
  results in order and hands them to sinks;
- ``chunks``: the unit of work, a pure function of picklable arguments;
- ``archives``: the unit of work of a WARC file (a batch of its records), and
  the sinks that write or check records;
- ``executors``: this process, a process pool, or a Dask cluster;
- ``sinks``: where results go (a file written atomically, stdout, a diff, a check);
- ``report`` and ``detect``: what ``--report`` and ``textmend detect`` write.
"""
