"""Rows for PostgreSQL's ``COPY … FROM STDIN (FORMAT BINARY)``, built a column at a time.

The PostGIS store's bulk writes (:meth:`~geo.store.postgis.PostGISStore.bulk_add`:
address points, boundaries, suggestions) send their rows with one COPY instead
of one INSERT per row. :func:`binary_copy` lays out PostgreSQL's binary COPY
format (header, per row a field count, per field a big-endian length and the
value's binary form, trailer) with numpy for whole columns, so 500,000 rows do
not pass through a Python call per value. Each value is sent in the exact
binary form of its column's type (``float8``, ``int4``, ``text``, ``bytea``;
a geometry as EWKB, which PostGIS's binary input reads), so text needs no
escaping: tabs, newlines, backslashes and quotes arrive as they are.

Where a column cannot be encoded exactly (a value out of an ``int4``'s range,
a type not listed here), :func:`binary_copy` returns None and the caller sends
the rows through psycopg's own ``write_row``, which refuses such a value as
the server would.

No database driver is imported here.
"""

from __future__ import annotations

import struct
from typing import Any, Iterator, Sequence

HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
_FIXED = {"float8": (">f8", 8), "float4": (">f4", 4), "int8": (">i8", 8), "int4": (">i4", 4), "int2": (">i2", 2)}
_VARIABLE = ("text", "varchar", "bytea")
_INT_RANGE = {"int8": (-(2 ** 63), 2 ** 63 - 1), "int4": (-(2 ** 31), 2 ** 31 - 1), "int2": (-(2 ** 15), 2 ** 15 - 1)}
CHUNK = 50_000
PIECE_BYTES = 4 << 20  # a piece of about 4 MB: the server works on one while the next is laid out
LONG_VALUE = 64  # bytes: longer values (boundaries' geometries) are copied one slice each, not byte by byte


def binary_copy(types: Sequence[str], values: Sequence[Sequence[Any]], chunk: int = CHUNK) -> Iterator[bytes] | None:
    """The rows (column ``j`` of row ``i`` is ``values[j][i]``; None is NULL) as the pieces of one
    binary COPY stream, at most ``chunk`` rows and about ``PIECE_BYTES`` a piece (header first,
    trailer last); None when a column cannot be encoded exactly (then nothing has been produced)."""
    import numpy as np

    n = len(values[0]) if values else 0
    columns = []
    for typ, seq in zip(types, values):
        col = _column(typ, seq)
        if col is None:
            return None
        columns.append(col)
    row_bytes = 2 + sum(4 + np.maximum(c.sizes, 0) for c in columns) if columns else np.zeros(n, dtype=np.int64)
    ends = np.cumsum(row_bytes)
    bounds = [0]
    while bounds[-1] < n:
        begin = bounds[-1]
        by_size = int(np.searchsorted(ends, (ends[begin - 1] if begin else 0) + PIECE_BYTES, side="right"))
        bounds.append(min(n, begin + chunk, max(begin + 1, by_size)))

    def pieces() -> Iterator[bytes]:
        yield HEADER
        for begin, end in zip(bounds, bounds[1:]):
            yield _rows([c.slice(begin, end) for c in columns], end - begin)
        yield TRAILER

    return pieces()


class _Column:
    """One column ready to lay out: ``sizes`` (bytes per value, -1 for NULL) and the values' bytes,
    for a fixed width as a 2D uint8 array (a row per value, zeros where NULL), for a variable width
    as one uint8 array of every value in turn with each row's ``offsets`` into it."""

    def __init__(self, sizes: Any, data: Any, offsets: Any = None, items: list | None = None):
        self.sizes, self.data, self.offsets, self.items = sizes, data, offsets, items

    def slice(self, a: int, b: int) -> "_Column":
        if self.items is not None:  # long values kept as they came (one bytes object per row, None for NULL)
            return _Column(self.sizes[a:b], None, None, self.items[a:b])
        if self.offsets is None:
            return _Column(self.sizes[a:b], self.data[a:b])
        return _Column(self.sizes[a:b], self.data, self.offsets[a:b])


def _column(typ: str, seq: Sequence[Any]) -> _Column | None:
    """``seq`` as a column of ``typ``; a numpy array of numbers (no NULL) or, for bytea, a 2D uint8
    array of one equally long value per row is taken as it is; None when it cannot be sent exactly."""
    import numpy as np

    n = len(seq)
    if isinstance(seq, np.ndarray) and seq.dtype != object:
        if typ == "bytea" and seq.ndim == 2 and seq.dtype == np.uint8:
            return _Column(np.full(n, seq.shape[1], dtype=np.int64), seq)
        if typ in _FIXED and seq.ndim == 1 and seq.dtype.kind in ("b", "i", "u", "f"):
            return _fixed(typ, seq, np.zeros(n, dtype=bool))
        return None
    values = seq.tolist() if hasattr(seq, "tolist") else list(seq)
    if typ in _VARIABLE:
        try:  # the usual case: no NULL among them, nothing to pick out
            return _variable(typ, values, None)
        except TypeError:
            pass
    arr = np.empty(n, dtype=object)
    arr[:] = values
    nulls = np.asarray(arr == None, dtype=bool)  # noqa: E711 - element-wise
    present = arr[~nulls]
    if typ in _FIXED:
        filled = arr.copy()
        filled[nulls] = 0
        numbers = np.array(filled.tolist()) if n else np.zeros(0, dtype=np.int64)
        if numbers.dtype.kind not in ("b", "i", "u", "f") or numbers.ndim != 1:
            return None  # text or an odd value in a number column: psycopg and the server decide
        return _fixed(typ, numbers, nulls)
    if typ not in _VARIABLE:
        return None
    try:
        return _variable(typ, present.tolist(), nulls)
    except TypeError:  # a number among text, text among bytes: psycopg and the server decide
        return None


def _fixed(typ: str, numbers: Any, nulls: Any) -> _Column | None:
    import numpy as np

    dtype, width = _FIXED[typ]
    n = len(numbers)
    if typ.startswith("int"):
        if numbers.dtype.kind == "f":
            return None  # 2.5 into an integer column: let the server round or refuse as before
        low, high = _INT_RANGE[typ]
        if n and (numbers.min() < low or numbers.max() > high):
            return None
    data = numbers.astype(dtype).view(np.uint8).reshape(n, width)
    return _Column(np.where(nulls, -1, width), data)


def _variable(typ: str, values: list, nulls: Any) -> _Column:
    """Text (UTF-8) or bytes: the values that are not NULL (``nulls``: where the NULLs are, None for
    none); a value of another kind raises TypeError."""
    import numpy as np

    if typ == "bytea":
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        if len(values) and lengths.sum() > LONG_VALUE * len(values):  # boundaries: not joined, copied once
            if not all(isinstance(v, bytes) for v in values):
                raise TypeError("bytea wants bytes")
            if nulls is None:
                return _Column(lengths, None, None, values)
            items: list = [None] * len(nulls)
            for at, v in zip(np.flatnonzero(~nulls).tolist(), values):
                items[at] = v
            sizes = np.full(len(nulls), -1, dtype=np.int64)
            sizes[~nulls] = lengths
            return _Column(sizes, None, None, items)
        payload = b"".join(values)
    else:
        joined = "".join(values)
        payload = joined.encode("utf-8")
        if len(payload) == len(joined):  # ASCII: one byte per character
            lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        else:
            lengths = np.fromiter((len(v.encode("utf-8")) for v in values), dtype=np.int64, count=len(values))
    starts = np.zeros(len(values), dtype=np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    if nulls is None:
        return _Column(lengths, np.frombuffer(payload, dtype=np.uint8), starts)
    sizes = np.full(len(nulls), -1, dtype=np.int64)
    sizes[~nulls] = lengths
    offsets = np.zeros(len(nulls), dtype=np.int64)
    offsets[~nulls] = starts
    return _Column(sizes, np.frombuffer(payload, dtype=np.uint8), offsets)


def _rows(columns: list, n: int) -> bytes:
    """``n`` rows of the given column slices, in the binary COPY row layout."""
    import numpy as np

    k = len(columns)
    sizes = np.stack([c.sizes for c in columns], axis=1) if k else np.zeros((n, 0), dtype=np.int64)
    widths = 4 + np.maximum(sizes, 0)  # length word + value
    row_len = 2 + widths.sum(axis=1)
    row_start = np.zeros(n, dtype=np.int64)
    np.cumsum(row_len[:-1], out=row_start[1:])
    field_start = row_start[:, None] + 2 + np.concatenate(
        [np.zeros((n, 1), dtype=np.int64), np.cumsum(widths, axis=1)[:, :-1]], axis=1)
    out = np.zeros(int(row_len.sum()), dtype=np.uint8)
    count = np.frombuffer(struct.pack(">h", k), dtype=np.uint8)
    out[row_start] = count[0]
    out[row_start + 1] = count[1]
    four = np.arange(4)
    for j, col in enumerate(columns):
        start = field_start[:, j]
        out[start[:, None] + four] = sizes[:, j].astype(">i4").view(np.uint8).reshape(n, 4)
        present = sizes[:, j] >= 0
        if col.items is not None:
            target = memoryview(out)
            for at, value in zip((start + 4).tolist(), col.items):
                if value is not None:
                    target[at:at + len(value)] = value
            continue
        if col.offsets is None:
            out[(start[present] + 4)[:, None] + np.arange(col.data.shape[1])] = col.data[present]
            continue
        lengths = sizes[present, j]
        total = int(lengths.sum())
        if not total:
            continue
        if total > LONG_VALUE * len(lengths):  # long text: a slice each (np.repeat would index every byte)
            target, source = memoryview(out), memoryview(col.data)
            for at, offset, length in zip((start[present] + 4).tolist(), col.offsets[present].tolist(),
                                          lengths.tolist()):
                target[at:at + length] = source[offset:offset + length]
            continue
        before = np.zeros(len(lengths), dtype=np.int64)
        np.cumsum(lengths[:-1], out=before[1:])
        within = np.arange(total) - np.repeat(before, lengths)
        source = np.repeat(col.offsets[present], lengths) + within
        out[np.repeat(start[present] + 4, lengths) + within] = col.data[source]
    return out.tobytes()


__all__ = ["binary_copy"]
