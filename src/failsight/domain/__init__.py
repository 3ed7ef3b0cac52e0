"""Plain typed records and errors shared by every layer; no I/O here."""
