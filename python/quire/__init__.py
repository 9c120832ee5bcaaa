"""quire: document conversion in the Python process, through libquire.

    import quire
    text = quire.convert(html_bytes, from_="html", to="txt", clean=True)

A thin layer over libquire's public C API (quire.h) with ctypes: no
compiler is needed at import.  Conversions run from memory to memory; the
GIL is released while libquire works (ctypes releases it around every
foreign call), so threads convert in parallel.  One session, with every
plugin loaded, serves the process; it is made on first use.

Failures raise quire.Error, which carries quire's message and, where
known, the place: file (the name given, or "<memory>"), line and column.
Warnings (something repaired or lost) go to the `warnings` module as
quire.QuireWarning, each with quire's message.
"""
import ctypes
import ctypes.util
import os
import threading
import warnings as _warnings

__all__ = ["convert", "formats", "version", "Error", "QuireWarning"]


class Error(Exception):
    """A conversion failed.  `message` is quire's message; `file`, `line`
    and `column` the place (None / 0 when unknown); `usage` is true when
    the request itself was wrong (an unknown format or option)."""

    def __init__(self, message, file=None, line=0, column=0, usage=False):
        self.message, self.file, self.line, self.column = (message, file,
                                                           line, column)
        self.usage = usage
        where = file or ""
        if where and line:
            where += ":%d" % line
            if column:
                where += ":%d" % column
        super().__init__("%s: %s" % (where, message) if where else message)


class QuireWarning(UserWarning):
    """Something was repaired or lost in a conversion."""


# ---- The C API, as ctypes sees it (include/quire/quire.h, plugin.h) --------
# quire_job's fields must follow quire.h exactly, appended ones included:
# the library reads every field its version knows.

class _Option(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("value", ctypes.c_char_p)]


_ReadFn = ctypes.CFUNCTYPE(ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p,
                           ctypes.c_size_t)


class _Source(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("format", ctypes.c_char_p),
                ("data", ctypes.c_void_p), ("len", ctypes.c_size_t),
                ("read", _ReadFn), ("user", ctypes.c_void_p)]


class _Error(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_int), ("file", ctypes.c_char_p),
                ("line", ctypes.c_ulong), ("column", ctypes.c_ulong),
                ("offset", ctypes.c_ulonglong), ("message", ctypes.c_char_p)]


class _Status(ctypes.Structure):
    _fields_ = [("result", ctypes.c_int), ("error", _Error),
                ("documents", ctypes.c_size_t), ("failed", ctypes.c_size_t),
                ("dropped", ctypes.c_size_t), ("warnings", ctypes.c_size_t),
                ("file_buf", ctypes.c_char * 1024),
                ("message_buf", ctypes.c_char * 1024)]


_ProgressFn = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
_WrittenFn = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
_DiagFn = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int,
                           ctypes.c_void_p, ctypes.c_char_p)


class _Loc(ctypes.Structure):
    _fields_ = [("file", ctypes.c_char_p), ("line", ctypes.c_ulong),
                ("column", ctypes.c_ulong), ("offset", ctypes.c_ulonglong)]


class _Job(ctypes.Structure):
    _fields_ = [("inputs", ctypes.POINTER(ctypes.c_char_p)),
                ("n_inputs", ctypes.c_size_t),
                ("from_", ctypes.c_char_p), ("to", ctypes.c_char_p),
                ("output", ctypes.c_char_p), ("output_dir", ctypes.c_char_p),
                ("options", ctypes.POINTER(_Option)),
                ("n_options", ctypes.c_size_t),
                ("metadata", ctypes.POINTER(_Option)),
                ("n_metadata", ctypes.c_size_t),
                ("transforms", ctypes.POINTER(ctypes.c_char_p)),
                ("n_transforms", ctypes.c_size_t),
                ("sources", ctypes.POINTER(_Source)),
                ("n_sources", ctypes.c_size_t),
                ("output_data", ctypes.POINTER(ctypes.c_void_p)),
                ("output_len", ctypes.POINTER(ctypes.c_size_t)),
                ("keep_going", ctypes.c_int), ("strict", ctypes.c_int),
                ("status", ctypes.POINTER(_Status)),
                ("threads", ctypes.c_uint),
                ("progress", _ProgressFn), ("progress_user", ctypes.c_void_p),
                ("written", _WrittenFn), ("written_user", ctypes.c_void_p),
                ("doc_metadata", ctypes.POINTER(_Option)),
                ("n_doc_metadata", ctypes.c_size_t),
                ("recursive", ctypes.c_int)]


_SEV_WARNING = 1
_ERROR_USAGE = 1


def _find_library():
    """libquire: $QUIRE_LIBRARY, else beside this module as installed
    (PREFIX/lib/python3/dist-packages/quire -> PREFIX/lib) or as built
    (BUILD/python/quire -> BUILD/lib), else the system's."""
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.environ.get("QUIRE_LIBRARY"),
                  os.path.join(here, "..", "..", "..", "libquire.so.0"),
                  os.path.join(here, "..", "..", "lib", "libquire.so.0")]
    for path in candidates:
        if path and os.path.exists(path):
            return os.path.normpath(path)
    found = ctypes.util.find_library("quire")
    if not found:
        raise ImportError("quire: libquire is not installed (set "
                          "QUIRE_LIBRARY to its path)")
    return found


_lib = ctypes.CDLL(_find_library())
_libc = ctypes.CDLL(None)
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None

_lib.quire_version.restype = ctypes.c_char_p
_lib.quire_session_new.restype = ctypes.c_void_p
_lib.quire_load_plugins.argtypes = [ctypes.c_void_p]
_lib.quire_set_diag.argtypes = [ctypes.c_void_p, _DiagFn, ctypes.c_void_p]
_lib.quire_convert.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Job)]
_lib.quire_convert.restype = ctypes.c_int
_lib.quire_format_count.argtypes = [ctypes.c_void_p]
_lib.quire_format_count.restype = ctypes.c_size_t
_lib.quire_format_at.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
_lib.quire_format_at.restype = ctypes.POINTER(ctypes.c_void_p)


def _on_diag(user, sev, loc, message):
    """Warnings become Python warnings (errors are raised as Error)."""
    if sev != _SEV_WARNING:
        return
    text = message.decode("utf-8", "replace")
    if loc:
        place = ctypes.cast(loc, ctypes.POINTER(_Loc)).contents
        if place.file:
            text = "%s: %s" % (place.file.decode("utf-8", "replace"), text)
    _warnings.warn(text, QuireWarning, stacklevel=2)


_diag = _DiagFn(_on_diag)
_session = None
_session_lock = threading.Lock()


def _get_session():
    global _session
    with _session_lock:
        if _session is None:
            s = _lib.quire_session_new()
            if not s:
                raise MemoryError("quire: out of memory")
            _lib.quire_set_diag(s, _diag, None)
            _lib.quire_load_plugins(s)
            _session = s
    return _session


def _b(s):
    return s.encode("utf-8") if isinstance(s, str) else s


def _options(pairs):
    """A ctypes array of quire_option from a dict or (name, value) pairs;
    a value of True is a flag, a list repeats the name."""
    items = []
    for name, value in (pairs.items() if isinstance(pairs, dict) else pairs):
        for v in (value if isinstance(value, (list, tuple)) else [value]):
            if v is False or v is None:
                continue
            items.append((_b(name), b"1" if v is True else _b(str(v))))
    arr = (_Option * max(len(items), 1))()
    for i, (n, v) in enumerate(items):
        arr[i].name, arr[i].value = n, v
    return arr, len(items)


def version():
    """libquire's version, "0.6.0"."""
    return _lib.quire_version().decode()


def formats():
    """The names of the formats the loaded plugins read or write."""
    s = _get_session()
    names = []
    for i in range(_lib.quire_format_count(s)):
        info = _lib.quire_format_at(s, i)
        fmt = ctypes.cast(info[0], ctypes.POINTER(ctypes.c_char_p))
        names.append(fmt[0].decode())
    return names


def convert(data, from_=None, to="txt", clean=False, options=None,
            metadata=None, transforms=(), name=None, strict=False,
            meta=None):
    """Converts one input held in memory and returns the output as bytes.

    data: bytes (or str, taken as UTF-8).  from_: the input format (None:
    by the extension of `name`, then by content).  to: the output format.
    clean: apply the clean transform first (as --clean).  options: writer,
    reader and transform options as a dict ({"columns": 72, "fragment":
    True}).  metadata: corpus metadata ({"title": ..., "language": ...}),
    for the writer.  meta: the document's metadata where it has none of
    its own ({"title": ..., "url": ..., "author": [...]}), as a --stream
    record's meta.  transforms: more transforms by name.  name: what
    messages call the input (default "<memory>").  strict: every warning
    fails.

    Raises quire.Error on failure; warnings become QuireWarning."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    data = bytes(data)
    s = _get_session()
    buf = ctypes.create_string_buffer(data, len(data))
    src = _Source(name=_b(name or "<memory>"), format=_b(from_),
                  data=ctypes.cast(buf, ctypes.c_void_p), len=len(data))
    opts, n_opts = _options(options or {})
    corpus, n_corpus = _options(metadata or {})
    docmeta, n_docmeta = _options(meta or {})
    names = (["clean"] if clean else []) + list(transforms)
    tr = (ctypes.c_char_p * max(len(names), 1))(*[_b(t) for t in names])
    out = ctypes.c_void_p()
    out_len = ctypes.c_size_t()
    status = _Status()
    job = _Job(to=_b(to), options=opts, n_options=n_opts, metadata=corpus,
               n_metadata=n_corpus, doc_metadata=docmeta,
               n_doc_metadata=n_docmeta, transforms=tr,
               n_transforms=len(names),
               sources=ctypes.pointer(src), n_sources=1,
               output_data=ctypes.pointer(out),
               output_len=ctypes.pointer(out_len), strict=int(bool(strict)),
               status=ctypes.pointer(status), threads=0)
    rc = _lib.quire_convert(s, ctypes.byref(job))   # the GIL is released
    try:
        if rc < 0 or not out.value:
            e = status.error
            raise Error((e.message or b"conversion failed").decode(
                            "utf-8", "replace"),
                        e.file.decode("utf-8", "replace") if e.file else None,
                        e.line, e.column, usage=e.kind == _ERROR_USAGE)
        return ctypes.string_at(out.value, out_len.value)
    finally:
        if out.value:
            _libc.free(out)
