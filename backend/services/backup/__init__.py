"""The backup file: `shape` (format, versions, rules, the models describing it), `export` (the
database as a file), `check` (a file against its rules, as it is read, into `rows`), `links`
(undo links while a history's ids grow) and `load` (the checked rows into the tables).
The order of an import (check, lock, safety copy, apply) is `backend.services.import_flow`'s.
"""
