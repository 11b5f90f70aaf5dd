"""One writer per file format; each writes records to a binary file object."""
