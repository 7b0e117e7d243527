"""A fix to Whoosh, installed when searchkit's index package is imported.

`MultiReader.column_reader` (whoosh3 3.0) leaves out the segments that have no
file for a column, and gives the others' document offsets: a segment whose
articles all lack a value (a batch of undated articles has no date column)
then shifts every later document onto the wrong segment's values — the dates
of the articles after it were read from the segment before — and an index
where no segment has the column fails with an IndexError. A segment reader
already answers for a column it lacks (every document has the default), so
the fixed method asks every segment.
"""

from __future__ import annotations

from whoosh import columns, reading


def _column_reader(self, fieldname: str, column=None, reverse: bool = False, translate: bool = True):
    parts = [reader.column_reader(fieldname, column=column, reverse=reverse, translate=translate)
             for reader in self.readers]
    return columns.MultiColumnReader(parts, list(self.doc_offsets))


def install() -> None:
    reading.MultiReader.column_reader = _column_reader
