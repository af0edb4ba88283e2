"""Readers and writers for the command line: formats, compression, atomic files."""
