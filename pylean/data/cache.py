"""Columnar on-disk cache of parsed Lean zips (ours: Lean re-parses Common/Data/Market/TradeBar.cs rows each run).

An entry is keyed by a hash of the source zip's *content* (plus the reader kind and
FORMAT_VERSION), so an edited file never serves stale data and a moved or copied file still
hits. One file per entry: a 64-byte header (magic, format version, schema tag, row count)
then each column's raw little-endian bytes, 8-byte padded. Entries are written to a temp
file and renamed into place, so a crash never leaves half an entry (and two processes filling
the same entry each rename a complete one); an entry whose header (format, schema, pylean and
reader version) or size does not check out is rebuilt. A warm load is a stat, a hash of the zip and one read()
straight into recycled memory (see _SlabPool); the columns are views into that memory.
"""
from __future__ import annotations

import hashlib
import os
import struct
import sys
import tempfile
import threading
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pylean import __version__ as _pylean_version
from pylean.data import lean_format
from pylean.data.lean_format import Columns

try:  # xxh3 is ~5x faster than hashlib's best here; without it a warm load takes ~1.8x as long.
    import xxhash

    HASH_NAME = "xxh3-128"

    def _digest(data: bytes) -> str:
        return "xxh128-" + xxhash.xxh3_128_hexdigest(data)
except ImportError:  # pragma: no cover - only where xxhash is not installed
    HASH_NAME = "blake2b-128"

    def _digest(data: bytes) -> str:
        return "b2b128-" + hashlib.blake2b(data, digest_size=16).hexdigest()

FORMAT_VERSION = 1  # bump whenever a reader's output or the entry layout changes
_MAGIC = b"PYLNCOL1"
_HEADER = struct.Struct("<8sIIQI")  # magic, format version, schema tag, rows, engine tag
# An entry written by another pylean version (or reader version) is rebuilt, never read as data.
ENGINE_TAG = zlib.crc32(f"pylean {_pylean_version} reader {lean_format.READER_VERSION}".encode()) or 1
_HEADER_BYTES = 64  # keeps the columns 64-byte aligned
_ALIGN = 64
_KINDS = ("trade", "quote", "daily")  # "daily" also serves hour files (same layout)

# (path, size, mtime_ns, inode) -> content key. Trusted within this process only; on disk
# the key is always the content hash.
_HASH_MEMO: dict[tuple[str, int, int, int], str] = {}


def clear_hash_memo() -> None:
    """Forget memoized content hashes (the benchmark clears it so hashing is timed too)."""
    _HASH_MEMO.clear()


def content_key(path: Path | str) -> tuple[str, bytes | None]:
    """The content hash of a file, plus its bytes when they had to be read for it."""
    st = os.stat(path)  # FileNotFoundError passes through: the caller's "no data"
    memo_key = (os.fspath(path), st.st_size, st.st_mtime_ns, st.st_ino)
    key = _HASH_MEMO.get(memo_key)
    if key is not None:
        return key, None
    with open(path, "rb", buffering=0) as source:
        data = source.readall()
    key = _HASH_MEMO[memo_key] = _digest(data)
    return key, data


@dataclass
class CacheStats:
    """Counters for benchmarks and tests."""

    hits: int = 0
    misses: int = 0
    rows: int = 0
    rebuilt: int = 0  # entries found corrupt or truncated, then rewritten
    write_errors: int = 0  # entries that could not be stored (the data was still returned)


# ----------------------------------------------------------------------------- memory

def _prefaulted(nbytes: int) -> np.ndarray:
    slab = np.empty(nbytes, np.uint8)
    slab[::4096] = 0  # touch every page now, so the kernel zeroes them on the helper thread
    return slab


def _refs_while_scanning(items: list[np.ndarray]) -> int:
    for item in items:
        return sys.getrefcount(item)
    return 0


# The reference count of a slab that only the pool's list holds, seen from _SlabPool._idle.
_IDLE_REFS = _refs_while_scanning([np.empty(0)])


class _SlabPool:
    """Hands out 64-byte aligned buffers carved from 16 MiB slabs, and recycles the slabs.

    Why: a warm load is bound by first-touch page faults (the kernel zeroing fresh pages,
    and in this VM the host backing them), not by the copy. Measured on 72 MB of second
    bars: 38 ms with one np.empty per entry, 28 ms with fresh slabs, 17 ms with recycled
    ones. A slab is reused only once no array refers to it: every column is a numpy view
    whose .base is the slab itself, so the slab's reference count says when the last one
    died. New slabs are faulted in one step ahead on a helper thread (the second core).
    One pool serves the process; it is an allocator and holds no data. It keeps at most
    `max_idle` idle slabs plus one spare (release_idle_memory() frees them).
    """

    def __init__(self, slab_bytes: int = 16 << 20, max_idle: int = 8) -> None:
        self.slab_bytes = slab_bytes
        self._max_idle = max_idle
        self._slabs: list[np.ndarray] = []
        self._current: np.ndarray | None = None
        self._used = 0
        self._spare: Future[np.ndarray] | None = None
        self._lock = threading.Lock()

    def take(self, nbytes: int) -> np.ndarray:
        """A writable uint8 buffer of nbytes whose memory nobody else uses."""
        if nbytes > self.slab_bytes // 4:
            return np.empty(nbytes, np.uint8)
        with self._lock:
            if self._current is None or self._used + nbytes > self.slab_bytes:
                self._current = None  # so that it can count as idle below
                self._current = self._next_slab()
                self._used = 0
            start = self._used
            self._used = -(-(start + nbytes) // _ALIGN) * _ALIGN
            return self._current[start:start + nbytes]

    def prepare(self) -> None:
        """Start faulting in the first slab now (a new process has none), so the first day's load does not
        wait for it: the helper thread does it while the algorithm initializes."""
        with self._lock:
            if self._spare is None and not self._slabs:
                self._spare = _PREFAULTER.submit(_prefaulted, self.slab_bytes)

    def release_idle(self) -> None:
        with self._lock:
            self._current = None
            self._forget(self._idle())
            self._spare = None

    def _next_slab(self) -> np.ndarray:
        idle = self._idle()
        if idle:
            self._forget(idle[self._max_idle:])  # give memory back beyond the cap
            return idle[0]
        # Growing: take the slab faulted in ahead of time and start faulting the next one.
        slab = (self._spare or _PREFAULTER.submit(_prefaulted, self.slab_bytes)).result()
        self._spare = _PREFAULTER.submit(_prefaulted, self.slab_bytes)
        self._slabs.append(slab)
        return slab

    def _forget(self, slabs: list[np.ndarray]) -> None:
        gone = {id(slab) for slab in slabs}  # by identity: == on arrays is elementwise
        self._slabs = [slab for slab in self._slabs if id(slab) not in gone]

    def _idle(self) -> list[np.ndarray]:
        idle = []
        for slab in self._slabs:
            if sys.getrefcount(slab) <= _IDLE_REFS:
                idle.append(slab)
        return idle


_PREFAULTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pylean-cache-slabs")
_POOL = _SlabPool()


def release_idle_memory() -> None:
    """Free the slabs no loaded column uses any more (they are otherwise kept for reuse)."""
    _POOL.release_idle()


# ----------------------------------------------------------------------------- cache

class DataCache:
    """Parsed Lean data files, memoized on disk by content hash."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        if cache_dir is None:
            env = os.environ.get("PYLEAN_CACHE_DIR")
            cache_dir = Path(env) if env else Path.home() / ".cache" / "pylean"
        self.cache_dir = Path(cache_dir)  # created lazily, on the first write
        self.stats = CacheStats()
        self._root = os.path.join(self.cache_dir, f"v{FORMAT_VERSION}")
        _POOL.prepare()

    def load_intraday(self, path: Path, kind: str) -> Columns:
        """lean_format.read_intraday through the cache."""
        if kind not in ("trade", "quote"):
            raise ValueError(f"kind must be 'trade' or 'quote', got {kind!r}")
        return self._load(path, kind)

    def load_daily_or_hour(self, path: Path) -> Columns:
        """lean_format.read_daily_or_hour through the cache."""
        return self._load(path, "daily")

    def entry_path(self, path: Path, kind: str) -> Path:
        """Where the entry of this source file lives; kind is "trade", "quote" or "daily"."""
        return Path(self._entry_path(content_key(path)[0], kind))

    def _entry_path(self, key: str, kind: str) -> str:
        # os.path rather than pathlib: this runs for every file of every backtest day.
        return os.path.join(self._root, kind, key[-2:], key + ".col")

    def _load(self, path: Path, kind: str) -> Columns:
        key, data = content_key(path)
        columns, state = self._read_entry(self._entry_path(key, kind), kind)
        if columns is not None:
            self.stats.hits += 1
        else:
            if data is None:  # hash memo hit: read the bytes we parse, and key by them
                with open(path, "rb", buffering=0) as source:
                    data = source.readall()
                key = _digest(data)
            if kind == "daily":
                columns = lean_format.parse_daily_or_hour(data, path)
            else:
                columns = lean_format.parse_intraday(data, path, kind)
            self.stats.misses += 1
            self.stats.rebuilt += state == "corrupt"
            self._write_entry(self._entry_path(key, kind), kind, columns)
        self.stats.rows += len(columns["ms"])
        return columns

    def _read_entry(self, entry: str, kind: str) -> tuple[Columns | None, str]:
        """(columns, "ok") for a sound entry, else (None, "missing" | "corrupt")."""
        try:
            fd = os.open(entry, os.O_RDONLY)
        except OSError:
            return None, "missing"
        try:
            size = os.fstat(fd).st_size
            buf = _POOL.take(size)
            if os.readv(fd, [buf.data]) != size:
                return None, "corrupt"
            return _decode(buf, kind), "ok"
        except (OSError, ValueError, struct.error):
            return None, "corrupt"  # whatever is wrong with it, rebuild rather than crash
        finally:
            os.close(fd)

    def _write_entry(self, entry: str, kind: str, columns: Columns) -> None:
        """Atomic write: a temp file in the entry's folder, then os.replace."""
        tmp = None
        try:
            folder = os.path.dirname(entry)
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(entry) + ".", suffix=".tmp", dir=folder)
            # One write of the whole entry: the page cache then holds it in large folios,
            # which later reads copy measurably faster than many small ones.
            with os.fdopen(fd, "wb", buffering=0) as out:
                view = memoryview(b"".join(_encode(kind, columns)))
                while view:
                    view = view[out.write(view):]
            os.replace(tmp, entry)
            tmp = None
        except OSError:
            self.stats.write_errors += 1  # a read-only or full disk must not stop a backtest
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


# ----------------------------------------------------------------------------- entry format

def _schema(kind: str) -> tuple[tuple[str, np.dtype], ...]:
    """Column names and stored dtypes of a reader kind (what the readers return)."""
    return tuple((name, np.dtype("<i4" if name == "date" else "<i8")) for name in lean_format.fields_for(kind))


_SCHEMAS = {kind: _schema(kind) for kind in _KINDS}
_FIELDS = {kind: tuple(name for name, _ in schema) for kind, schema in _SCHEMAS.items()}
# Stored in the header: a change of column names or dtypes never reads an older entry.
_SCHEMA_TAGS = {kind: zlib.crc32(repr([(n, d.str) for n, d in schema]).encode())
                for kind, schema in _SCHEMAS.items()}


def _encode(kind: str, columns: Columns) -> list[bytes | memoryview]:
    """The entry's bytes: header, then each column 8-byte padded."""
    schema = _SCHEMAS[kind]
    rows = len(columns[schema[0][0]])
    chunks: list[bytes | memoryview] = [
        _HEADER.pack(_MAGIC, FORMAT_VERSION, _SCHEMA_TAGS[kind], rows, ENGINE_TAG).ljust(_HEADER_BYTES, b"\0")]
    for name, dtype in schema:
        array = np.ascontiguousarray(columns[name], dtype=dtype)
        if len(array) != rows:
            raise ValueError(f"column {name} has {len(array)} rows, expected {rows}")
        chunks.append(array.data.cast("B"))
        chunks.append(b"\0" * (-array.nbytes % 8))
    return chunks


def _decode(buf: np.ndarray, kind: str) -> Columns:
    """Column views into buf; ValueError on any inconsistency (the caller rebuilds)."""
    if buf.size < _HEADER_BYTES:
        raise ValueError("entry shorter than its header")
    magic, version, tag, rows, engine = _HEADER.unpack_from(buf.data, 0)
    if magic != _MAGIC or version != FORMAT_VERSION or tag != _SCHEMA_TAGS[kind] or engine != ENGINE_TAG:
        raise ValueError("not an entry of this format and pylean version")
    schema = _SCHEMAS[kind]
    if kind != "daily":  # all int64: one view, one row of it per column (the hot case)
        if buf.size != _HEADER_BYTES + 8 * rows * len(schema):
            raise ValueError("entry size does not match its header")
        block = buf[_HEADER_BYTES:].view(np.int64).reshape(len(schema), rows)
        return dict(zip(_FIELDS[kind], block))
    columns: Columns = {}
    offset = _HEADER_BYTES
    for name, dtype in schema:
        nbytes = rows * dtype.itemsize
        columns[name] = buf[offset:offset + nbytes].view(dtype)
        offset += nbytes + (-nbytes % 8)
    if offset != buf.size:  # truncated, or trailing bytes
        raise ValueError("entry size does not match its header")
    return columns
