"""One reader per file format; each yields ``(location, raw_record)`` pairs.

A reader only parses: it maps headers to field names and hands raw values on.
Validation against the codebook happens once, in :mod:`libinnov.cases.normalise`.
"""
