"""Formats, compression and atomic files: reading and writing bytes, below the batch layer."""
