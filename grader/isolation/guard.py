"""In-process defences of a check process: what student code may not do while it runs.

A check runs the learner's code in the same interpreter as the check, so a submission
can try to make a failing check pass from inside: monkeypatch `torch.allclose`, the
check module, `checks.compare`, pytest's reports or hypothesis; raise `pytest.skip` to
dodge a check; walk the heap for the channel's key; write into the kit. This module is
the check process's answer, installed after the fork and before any student code runs:

- **Sealed verdict** (`seal`): the test function is wrapped before student code is
  imported; a check passes only if that wrapper saw the original test function return.
  Patched pytest report classes, hooks or `_grade_outcome` cannot turn a failure into a
  pass, and a check that never ran is failed.
- **Skips and other pytest outcomes**: a skip counts (and leaves the maximum) only when
  no frame that raised it is the submission's and its class is not the submission's
  (the kit's device and framework skips); one raised from student code is a failure. `pytest.xfail`, `pytest.fail`, `pytest.exit` and `sys.exit` from
  student code are failures. `hypothesis.assume`/`reject` called from student code (to
  discard the inputs it gets wrong) is a failure.
- **Integrity** (`Baseline` + `Guard.problems`): the dictionaries of the frameworks'
  modules and classes (torch, numpy, TF/Keras, pytest, pluggy, hypothesis, builtins, ...)
  and of the kit's own modules are snapshotted before student code runs (the worker
  takes the snapshot once, after importing the frameworks; forks inherit it) and compared
  by identity when the check ends. Module attribute assignments (`torch.allclose = f`)
  are also seen as they happen, so patching and restoring before the end is caught too.
  A check during which student code tampered with any of these fails, naming what.
- **Audit hook** (PEP 578, cannot be removed once added): while student code is on the
  stack, no process spawning (`subprocess`, `os.system`, `exec*`), no heap or foreign
  memory access (`gc.get_objects`/`get_referrers`, `sys._current_frames`, `ctypes`), no
  tracing (`sys.settrace`), no frames handed to student code (`sys._getframe`,
  `inspect.stack`, `tb_frame`: the check's frame holds the expected answers), no swapping
  the code of the kit's functions, no signals to the grader's processes, no network. Anywhere: no writing, renaming, deleting or
  linking files under the protected folders (kit, private kit, Python installation,
  submissions, batch output) — the portable twin of the read-only mounts of
  `grader.isolation.sandbox`, so that a submission scores the same with or without namespaces.

Out of scope (see docs/isolation.md): an attacker who walks `__globals__` of objects or
closure cells to find the check process's own sub-key and forges its own check's frame,
or who edits module dictionaries through `vars()` and restores them before the check
ends. Either can only forge the outcome of the check it runs in (never another check,
exercise or student: those are other processes) and needs code written to defeat this
grader, not a general cheat.
"""

from __future__ import annotations

import builtins
import functools
import os
import sys
import types
from typing import Any, Callable

_FunctionType = types.FunctionType
# built-ins the audit hook's rules call, bound at import: rebinding `builtins.len` later changes nothing here
_isinstance, _len, _any, _getattr, _type = isinstance, len, any, getattr, type
_BuiltinType = types.BuiltinFunctionType
_MethodType = types.MethodType
_ModuleType = types.ModuleType
_partial = functools.partial
_CODE_LIKE = (
    types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.ModuleType, type,
    functools.partial, property, classmethod, staticmethod, types.WrapperDescriptorType,
    types.MethodDescriptorType, types.MethodWrapperType, types.GetSetDescriptorType,
    types.MemberDescriptorType, types.ClassMethodDescriptorType,
)

# Top-level packages whose modules (and the classes defined in them) a submission may not
# modify while a check runs. `sys` and `os` are guarded only against replacing functions.
LIBRARY_ROOTS = frozenset({
    "torch", "numpy", "tensorflow", "keras", "tf_keras", "pytest", "_pytest", "pluggy", "hypothesis",
    "builtins", "math", "operator", "functools", "itertools", "collections", "copy", "json", "_json",
    "hmac", "hashlib", "_hashlib", "struct", "pickle", "inspect", "types", "contextlib", "dataclasses",
    "traceback", "warnings", "unittest", "random", "re", "abc", "typing", "numbers", "statistics",
    "posixpath", "os", "sys", "io", "tempfile", "shutil", "pathlib", "importlib", "signal", "select",
})
KIT_ROOTS = frozenset({"checks", "grader", "conftest"})
SURFACE_ROOTS = ("torch", "numpy", "tensorflow", "keras", "tf_keras")
_NO_REALTIME = frozenset({"sys", "os", "posixpath", "io", "importlib"})  # written legitimately
# set lazily by Python itself (annotations on first access, copyreg's slot names, ABC caches)
_IGNORED_KEYS = frozenset({"__warningregistry__", "__loader__", "__spec__", "__builtins__", "__cached__",
                           "__annotations__", "__slotnames__", "__protocol_attrs__",
                           "__non_callable_proto_members__", "__callable_proto_members_only__"})
_BUILTIN_NAMES = frozenset(dir(builtins))


def _root(name: str) -> str:
    return name.split(".", 1)[0]


def is_kit_module(name: str) -> bool:
    root = _root(name)
    return root in KIT_ROOTS or root.startswith("test_ex")


def is_protected_module(name: str) -> bool:
    return _root(name) in LIBRARY_ROOTS or is_kit_module(name)


# -- the snapshot ---------------------------------------------------------------------
def _version_reader() -> Callable[[Any], int] | None:
    """CPython's per-dict version tag (PEP 509: bumped by every change of the dict), read
    through ctypes: checking 10,000 dictionaries for changes takes ~3 ms instead of ~70 ms
    comparing their values. None where the layout is not the expected one."""
    try:
        import ctypes

        u64 = ctypes.c_uint64.from_address
        ptr = ctypes.c_void_p.from_address

        def address(live: Any) -> int:
            return id(live) if type(live) is dict else int(ptr(id(live) + 16).value or 0)

        def read(address_: int) -> int:
            return u64(address_ + 24).value

        d: dict[str, int] = {}
        a = address(d)
        v0 = read(a)
        d["x"] = 1
        v1 = read(a)

        class _Probe:
            pass

        b = address(_Probe.__dict__)
        w0 = read(b)
        _Probe.x = 1  # type: ignore[attr-defined]
        w1 = read(b)
        if v1 == v0 or w1 == w0 or b == 0:
            return None
        read.address = address  # type: ignore[attr-defined]
        return read
    except Exception:
        return None


_VERSION = _version_reader() if sys.implementation.name == "cpython" else None


class _VersionTable:
    """All watched dictionaries' version tags, gathered in one numpy operation: a view of
    the address range they live in, indexed at their tags (~30 us for 10,000 of them,
    against ~15 ms one ctypes read at a time). Built by the exercise process; read in the
    check process with ndarray methods only (a C type a submission cannot patch)."""

    def __init__(self, entries: list[list[Any]]) -> None:
        import ctypes

        import numpy as np

        self.positions = [i for i, e in enumerate(entries) if e[6]]
        tags = [entries[i][6] + 24 for i in self.positions]
        base, top = min(tags), max(tags)
        words = (top - base) // 8 + 1
        self.view = np.ctypeslib.as_array((ctypes.c_uint64 * words).from_address(base))
        self.index = np.array([(t - base) // 8 for t in tags], dtype=np.int64)
        self.versions = np.array([entries[i][7] for i in self.positions], dtype=np.uint64)
        covered = set(self.positions)
        self.uncovered = [i for i in range(len(entries)) if i not in covered]

    def changed(self) -> list[int]:
        """Indices (into the entries) of the dictionaries modified since the table was built."""
        current = self.view[self.index]
        return [self.positions[k] for k in (current != self.versions).nonzero()[0].tolist()]


class Baseline:
    """Identity snapshot of protected module and class dictionaries.

    Taken by the worker after importing the frameworks (`capture`) and extended by the
    exercise process after collection (`extend`: the check module, lazily imported kit
    modules). A check process inherits it through fork and compares at the end."""

    def __init__(self) -> None:
        # (label, is_class, kit, live dict or mappingproxy, keys, values, address, version)
        self.entries: list[list[Any]] = []
        self.seen_modules: set[int] = set()
        self.seen_classes: set[int] = set()
        self.hypothesis_default: tuple[Any, Any] | None = None
        self.table: _VersionTable | None = None

    @classmethod
    def capture(cls) -> "Baseline":
        b = cls()
        b.extend()
        return b

    def _candidates(self) -> list[tuple[str, Any]]:
        """The modules to watch: every protected module where dictionary versions can be
        read; without them, every module of the small packages (pytest, hypothesis, the
        kit, parts of the standard library) and the public surface of the big ones (torch,
        numpy, TF, Keras: modules reachable from the top package through public
        attributes, three levels deep) -- comparing all of torch + TF costs ~0.1 s."""
        modules = sys.modules
        found: dict[int, tuple[str, Any]] = {}
        for name, module in list(modules.items()):
            if module is not None and is_protected_module(name) and (_VERSION or _root(name) not in SURFACE_ROOTS):
                found[id(module)] = (name, module)
        if _VERSION:
            return list(found.values())
        getdict = object.__getattribute__
        for root in SURFACE_ROOTS:
            top = modules.get(root)
            if top is None:
                continue
            queue = [(root, top, 0)]
            while queue:
                name, module, depth = queue.pop()
                if id(module) in found:
                    continue
                found[id(module)] = (name, module)
                if depth >= 3:
                    continue
                try:
                    d = getdict(module, "__dict__")
                except Exception:
                    continue
                for key, value in list(d.items()):
                    if isinstance(value, _ModuleType) and not key.startswith("_"):
                        try:
                            sub = getdict(value, "__dict__").get("__name__", "")
                        except Exception:
                            continue
                        if isinstance(sub, str) and _root(sub) == root:
                            queue.append((sub, value, depth + 1))
        return list(found.values())

    def _entry(self, label: str, is_class: bool, kit: bool, live: Any) -> list[Any]:
        address = _VERSION.address(live) if _VERSION else 0  # type: ignore[attr-defined]
        version = _VERSION(address) if _VERSION and address else 0
        return [label, is_class, kit, live, tuple(live.keys()), tuple(live.values()), address, version]

    def extend(self) -> None:
        import warnings

        with warnings.catch_warnings():  # a deprecated module attribute may warn when inspected
            warnings.simplefilter("ignore")
            self._extend()

    def _extend(self) -> None:
        for name, module in self._candidates():
            if id(module) in self.seen_modules:
                continue
            try:
                d = object.__getattribute__(module, "__dict__")
            except Exception:
                continue
            if type(d) is not dict:
                continue
            self.seen_modules.add(id(module))
            self.entries.append(self._entry(name, False, is_kit_module(name), d))
            for value in list(d.values()):
                if isinstance(value, type) and id(value) not in self.seen_classes:
                    owner = value.__dict__.get("__module__")
                    if isinstance(owner, str) and is_protected_module(owner) and owner != "builtins":
                        self.seen_classes.add(id(value))
                        self.entries.append(self._entry(f"{owner}.{value.__qualname__}", True,
                                                        is_kit_module(owner), value.__dict__))
        if id(sys.modules) not in self.seen_modules:  # swapping a kit or library module for a fake
            self.seen_modules.add(id(sys.modules))
            self.entries.append(self._entry("sys.modules", False, True, sys.modules))
        hyp = sys.modules.get("hypothesis._settings")
        if hyp is not None:
            var = getattr(hyp, "default_variable", None)
            if var is not None:
                self.hypothesis_default = (var, var.value)

    def suspects(self, new_from: int | None = None) -> list[int]:
        """Indices of the entries whose dictionary may have changed since the last rebase."""
        table = getattr(self, "table", None)
        stop = len(self.entries) if new_from is None else new_from
        if table is not None:
            found = [i for i in table.changed() if i < stop]
            found += [i for i in table.uncovered if i < stop and not self._same(i)]
            return sorted(set(found))
        return [i for i in range(stop) if not self._same(i)]

    def _same(self, i: int) -> bool:
        entry = self.entries[i]
        live, values, address, version = entry[3], entry[5], entry[6], entry[7]
        if address and _VERSION is not None:
            return _VERSION(address) == version
        return len(live) == len(values) and all(a is b for a, b in zip(live.values(), values))

    def rebase(self, extend: bool = True) -> None:
        """Take the current state as the reference: called by the exercise process before
        each fork (pytest's own set-up and per-test wrappers change a few things; no
        student code ever runs in that process)."""
        count = len(self.entries)
        if extend:
            self.extend()
        stale = self.suspects(new_from=count)
        for i in stale:
            entry = self.entries[i]
            fresh = self._entry(entry[0], entry[1], entry[2], entry[3])
            entry[4:] = fresh[4:]
        if count != len(self.entries) or self.table is None or stale:
            self.table = None
            if _VERSION is not None:
                try:
                    self.table = _VersionTable(self.entries)
                except Exception:  # no numpy, or an address range numpy refuses: one read at a time
                    self.table = None
        if self.hypothesis_default is not None:
            var = self.hypothesis_default[0]
            self.hypothesis_default = (var, var.value)


def _make_made_outside(
    _type=type, _isinstance=isinstance, _getattr=getattr, _str=str, _code_like=_CODE_LIKE,
    _Function=types.FunctionType, _Method=types.MethodType, _partial=functools.partial,
    _wrappers=(classmethod, staticmethod), _property=property, _modules=sys.modules,
) -> Callable[..., bool]:
    def made_outside(value: Any, trusted: tuple[str, ...], depth: int = 0) -> bool:
        """Whether `value` is code (or an object of a class) written outside the trusted
        roots, i.e. by the submission. Library code that rebinds its own names lazily (torch
        wraps `Optimizer.step` on first use, say) is not."""
        if depth > 3:
            return False
        kind = _type(value)
        if kind is _Function:
            name = value.__code__.co_filename
            return not (name.startswith(trusted) or name.startswith("<frozen"))
        if kind is _Method:
            return made_outside(value.__func__, trusted, depth + 1)
        if kind is _partial:
            return made_outside(value.func, trusted, depth + 1)
        if _isinstance(value, _wrappers):
            return made_outside(value.__func__, trusted, depth + 1)
        if _isinstance(value, _property):
            return _getattr(value, "fget", None) is not None and made_outside(value.fget, trusted, depth + 1)
        if _isinstance(value, type):
            module = _modules.get(_getattr(value, "__module__", "") or "")
            path = _getattr(module, "__file__", None) if module is not None else None
            if not _isinstance(path, _str):
                return module is None or _getattr(module, "__name__", "") == "__main__"
            return not path.startswith(trusted)
        return kind is not _Function and not _isinstance(value, _code_like) and made_outside(kind, trusted, depth + 1)

    return made_outside


def _make_comparator(
    _len=len, _isinstance=isinstance, _code_like=_CODE_LIKE, _ignored=_IGNORED_KEYS, _builtin_names=_BUILTIN_NAMES,
    _tuple=tuple, _zip=zip, _set=set, _containers=(dict, list, set, tuple), _modules=sys.modules,
    _protected=is_protected_module, made_outside=_make_made_outside(), suspects=None,
) -> Callable[..., list[str]]:
    def code_like(value: Any) -> bool:
        return _isinstance(value, _code_like)

    def changed(label: str, kit: bool, live: Any, keys: Any, values: Any, trusted: tuple[str, ...]) -> list[str]:
        """Snapshotted names now bound to something a check may not survive, or deleted."""
        problems: list[str] = []
        for key, old in _zip(keys, values):
            if key in _ignored:
                continue
            new = live.get(key, problems)  # the list itself: a sentinel no dictionary holds
            if new is old:
                continue
            if live is _modules:
                if _protected(key):
                    problems.append(f"sys.modules[{key!r}]")
            elif new is problems:
                if code_like(old) or kit:
                    problems.append(f"{label}.{key}")
            elif made_outside(new, trusted) or (
                    code_like(old) and not code_like(new) and not (new is None or _isinstance(new, _containers))) or (
                    kit and _isinstance(old, _containers)):
                problems.append(f"{label}.{key}")
        return problems

    def added(label: str, kit: bool, live: Any, keys: Any, trusted: tuple[str, ...]) -> list[str]:
        """Names added since the snapshot that shadow a built-in, or are the submission's code."""
        known = _set(keys)
        problems: list[str] = []
        for key in _tuple(live.keys()):
            if key in known or key in _ignored:
                continue
            value = live[key]
            if _isinstance(value, _ModuleType):
                continue
            if key in _builtin_names or made_outside(value, trusted) or (kit and code_like(value)):
                problems.append(f"{label}.{key}")
        return problems

    def compare(baseline: Baseline, trusted: tuple[str, ...] = ()) -> list[str]:
        """What changed in the protected dictionaries that a check may not survive."""
        problems: list[str] = []
        for i in suspects(baseline):
            label, _, kit, live, keys, values, _, _ = baseline.entries[i]
            problems += changed(label, kit, live, keys, values, trusted)
            if _len(live) != _len(values) and live is not _modules:
                problems += added(label, kit, live, keys, trusted)
            if _len(problems) > 20:
                break
        if baseline.hypothesis_default is not None:
            var, value = baseline.hypothesis_default
            if var.value is not value:
                problems.append("hypothesis.settings (profile)")
        return problems

    return compare


# What a check may not survive, in the dictionaries the baseline snapshotted:
# - a function, class or method replaced by one the submission wrote, or by a non-code
#   object (a mock, a constant), or deleted;
# - in the kit's own modules, any container replaced, and any code added;
# - a name added that shadows a built-in, or a method the submission wrote added to a class.
compare_baseline = _make_comparator(suspects=Baseline.suspects)


# -- trusted code -----------------------------------------------------------------------
def installation_roots() -> set[str]:
    """The Python installation grading runs on: prefixes, the standard library, site-packages."""
    import site
    import sysconfig

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, os.path.dirname(os.__file__)}
    paths = sysconfig.get_paths()
    roots.update(paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths)
    try:
        roots.update(site.getsitepackages())
    except AttributeError:
        pass
    return {r for r in roots if r}


def _import_roots() -> set[str]:
    """Where the code present before any submission was loaded came from: every `sys.path`
    folder (a `.pth` file's, the user site's, `PYTHONPATH`'s included) and the folder each
    loaded module's top-level package sits in (a namespace or path hook aside)."""
    roots = {p for p in sys.path if p and os.path.isdir(p)}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str) or not os.path.isabs(file):
            continue
        depth = name.count(".") + (1 if os.path.basename(file).startswith("__init__.") else 0)
        folder = os.path.dirname(file)
        for _ in range(depth):
            folder = os.path.dirname(folder)
        roots.add(folder)
    return roots


def trusted_roots(private_kit: str) -> tuple[str, ...]:
    """Folders whose code is the grader's or a library's, never the submission's: what was
    importable in the worker before any submission was loaded (not a guess at where
    site-packages live: a library reached through a `.pth` file or `PYTHONPATH` is trusted
    too). Call it in the worker after the frameworks are imported. `Guard` drops any root
    that holds a submission or lies inside one."""
    out = set()
    for r in installation_roots() | _import_roots() | {private_kit}:
        for form in (os.path.abspath(r), os.path.realpath(r)):
            if form != "/":
                out.add(form.rstrip("/") + "/")
    return tuple(sorted(out))


# -- module attribute assignments, seen as they happen ----------------------------------------
def _make_guarded_module_class() -> tuple[type, list[Any]]:
    """The class protected modules are given (`module.__class__ = GuardedModule`): assigning or
    deleting one of their attributes from student code is recorded by the guard installed in
    this process (none: nothing is recorded, as in the worker and the exercise process). Made
    once per process, so that the worker converts the thousands of framework modules once and
    every check process inherits them (converting them per check cost ~20 ms)."""
    slot: list[Any] = [None, None]  # [records, untrusted_caller] of the installed guard
    base_set = _ModuleType.__setattr__
    base_del = _ModuleType.__delattr__
    _isinstance, _getattr = isinstance, getattr

    class GuardedModule(_ModuleType):
        def __setattr__(self, name: str, value: Any) -> None:
            records, untrusted_caller = slot
            if records is not None and not (
                    _isinstance(value, _ModuleType)
                    and _getattr(value, "__name__", "") == f"{_getattr(self, '__name__', '')}.{name}"):
                if untrusted_caller(2, False) is not None:
                    records.append(f"{_getattr(self, '__name__', '?')}.{name}")
            base_set(self, name, value)

        def __delattr__(self, name: str) -> None:
            records, untrusted_caller = slot
            if records is not None and untrusted_caller(2, False) is not None:
                records.append(f"{_getattr(self, '__name__', '?')}.{name}")
            base_del(self, name)

    return GuardedModule, slot


_GuardedModule, _guarded_slot = _make_guarded_module_class()


_examined: dict[str, Any] = {}  # module name -> the module object already looked at


def guard_library_modules() -> None:
    """Give every protected module not converted yet the `GuardedModule` class. The worker
    calls it once after importing the frameworks, the exercise process after collecting,
    each check process again for what was imported since (a few modules). Each module
    object is looked at once per process tree: the forks inherit what was examined (walking
    the ~4,000 modules of torch and TensorFlow again cost every check ~4 ms)."""
    examined = _examined
    for name, module in list(sys.modules.items()):
        if examined.get(name) is module:
            continue
        examined[name] = module
        if type(module) is _ModuleType and is_protected_module(name) and _root(name) not in _NO_REALTIME:
            try:
                module.__class__ = _GuardedModule
            except TypeError:
                pass


def path_under(path: Any, roots: tuple[str, ...], exempt: str = "", *, _fspath: Any = os.fspath,
               _abspath: Any = os.path.abspath, _realpath: Any = os.path.realpath,
               _isinstance: Any = isinstance, _int: type = int, _bytes: type = bytes,
               _exc: type = Exception) -> str | None:
    """`path` (as text) when it lies under one of `roots` ("/"-terminated), as written or with
    its symlinks resolved; None otherwise, or when it lies under `exempt` (the submission's own
    files among the hidden ones). The path functions are bound when the kit is imported, before
    any student code could replace them."""
    if _isinstance(path, _int) or path is None or not roots:
        return None
    try:
        p = _fspath(path)
        if _isinstance(p, _bytes):
            p = p.decode("utf-8", "surrogateescape")
        full = _abspath(p)
        candidates = (full, _realpath(full))
    except _exc:
        return None
    for c in candidates:
        c = c.rstrip("/") + "/"
        if exempt and c.startswith(exempt):
            return None
        if c.startswith(roots):
            return p
    return None


def hide_cached_sources(hidden: list[str] | tuple[str, ...], submission: str) -> None:
    """linecache keeps the source of every file a traceback or `inspect.getsource` has
    shown -- the check module's included, read while collecting: student code would read
    it there without opening anything. Its cache is replaced by one that drops the hidden
    files' lines and never stores them again (reading them then opens the file, which the
    audit hook refuses while student code is on the stack). Done once in the exercise
    process; the check processes inherit it and find it done."""
    hidden = _roots_of(list(hidden))
    submission = os.path.realpath(submission).rstrip("/") + "/"
    if not hidden:
        return
    import linecache

    token = (hidden, submission)
    if getattr(linecache.cache, "hides", None) == token:
        return
    _len, _isinstance, _str, base_set, _path_under = len, isinstance, str, dict.__setitem__, path_under

    def keep(key: Any, value: Any) -> bool:
        # a lazy entry (a 1-tuple holding a loader's get_source) stores no text yet
        return (not _isinstance(key, _str) or key.startswith("<") or _len(value) == 1
                or _path_under(key, hidden, submission) is None)

    class SourceCache(dict):
        def __setitem__(self, key: Any, value: Any) -> None:
            if keep(key, value):
                base_set(self, key, value)

    cache = SourceCache((k, v) for k, v in list(linecache.cache.items()) if keep(k, v))
    cache.hides = token  # type: ignore[attr-defined]
    linecache.cache = cache


def _roots_of(paths: list[str]) -> tuple[str, ...]:
    """Each folder "/"-terminated, as written and with its symlinks resolved."""
    roots = set()
    for p in paths:
        if p:
            roots.add(os.path.abspath(p).rstrip("/") + "/")
            roots.add(os.path.realpath(p).rstrip("/") + "/")
    return tuple(sorted(roots))


# -- the guard ----------------------------------------------------------------------------
_PATH_EVENTS = {
    "os.rename": (0, 1), "os.remove": (0,), "os.rmdir": (0,), "os.truncate": (0,), "os.chmod": (0,),
    "os.chown": (0,), "os.mkdir": (0,), "os.symlink": (1,), "os.link": (0, 1), "os.utime": (0,),
    "os.chflags": (0,), "os.lchflags": (0,), "os.setxattr": (0,), "os.removexattr": (0,),
    "shutil.rmtree": (0,), "shutil.copyfile": (1,), "shutil.copymode": (1,), "shutil.copystat": (1,),
    "shutil.copytree": (1,), "shutil.move": (0, 1),
}
_SPAWN = frozenset({"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.forkpty",
                    "pty.spawn", "os.startfile", "grade.fork_exec"})
_INTROSPECT = frozenset({"gc.get_objects", "gc.get_referrers", "gc.get_referents", "sys._current_frames",
                         "sys._current_exceptions", "ctypes.cdata", "ctypes.cdata/buffer", "ctypes.string_at",
                         "ctypes.wstring_at", "ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle",
                         "ctypes.call_function", "sys.settrace", "sys.setprofile",
                         "sys.monitoring.register_callback"})
_NETWORK = frozenset({"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                      "socket.gethostbyname"})
_SIGNALS = frozenset({"os.kill", "os.killpg", "signal.pthread_kill", "signal.pidfd_send_signal"})
_CODE_SWAP = frozenset({"object.__setattr__", "object.__delattr__"})
_FRAME_EVENTS = frozenset({"sys._getframe", "object.__getattr__"})
# Attributes whose reading hands out a frame (audited as "object.__getattr__"); a frame's
# f_back leads to the check's frame, whose locals and globals hold the expected answers.
_FRAME_ATTRIBUTES = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame"})
# Library functions that hand the frame they take on to their caller: when student code calls
# one of these, it is the student who gets the frame.
_FRAME_HANDERS = frozenset({
    ("inspect", "currentframe"), ("inspect", "stack"), ("inspect", "trace"), ("inspect", "getouterframes"),
    ("inspect", "getinnerframes"), ("traceback", "walk_stack"), ("traceback", "walk_tb"),
    ("logging", "currentframe"), ("logging", "<lambda>"),
})
_O_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class GuardViolation(PermissionError):
    """Raised into student code that tried something grading forbids."""


# Frames between a rule's own `getframe` and the code that raised the audited event:
# 0 the helper, 1 the rule, 2 the hook, 3 the caller of the audited operation.
_CALLER = 3


class _Rules:
    """The audit hook's handlers, one per kind of event; each binds what it calls when the
    guard is installed (before student code), never at call time."""

    def __init__(self, guard: "Guard") -> None:
        self.records = guard.records
        self.state = guard.state
        self.protected, self.hidden = guard.protected, guard.hidden
        self.submission, self.trusted = guard.submission, guard.trusted
        self.ancestors = guard.ancestors
        self.untrusted_caller = guard._make_untrusted_caller()
        self.own_pgrp = os.getpgrp()
        self._getframe, self._path_under = sys._getframe, path_under
        self._basename, self._splitext, self._dirname = os.path.basename, os.path.splitext, os.path.dirname

    def deny(self, what: str, record: bool = True) -> None:
        if record:
            self.records.append(what)
        raise GuardViolation(f"not allowed while grading: {what}")

    def _student_called(self) -> bool:
        return self.untrusted_caller(_CALLER + 1) is not None

    def _protected_path(self, path: Any, roots: tuple[str, ...] | None = None) -> str | None:
        hidden = roots is not None
        return self._path_under(path, roots if hidden else self.protected, self.submission if hidden else "")

    # -- frames -------------------------------------------------------------------------
    def frame(self, event: str, args: tuple) -> None:
        if self._student_takes_frame():
            self.deny("reading the call stack (frames lead to the check's expected answers)")

    def _student_takes_frame(self) -> bool:
        """Whether the frame being handed out (sys._getframe, tb_frame, gi_frame...) goes to
        student code: called from the submission directly, or through one of the library
        functions that pass the frame on (inspect.stack, logging.currentframe...)."""
        frame = self._getframe(_CALLER)
        trusted = self.trusted
        while frame is not None:
            code = frame.f_code
            name = code.co_filename
            if not name.startswith(trusted) and not name.startswith("<frozen"):
                return True
            module = self._splitext(self._basename(name))[0]
            if module == "__init__":
                module = self._basename(self._dirname(name))
            if (module, code.co_name) not in _FRAME_HANDERS:
                return False
            frame = frame.f_back
        return False

    # -- code and files ---------------------------------------------------------------
    def exec_(self, event: str, args: tuple) -> None:
        """Not a refusal: the first code object of the submission marks student code as started."""
        if not self.state["started"] and args:
            name = _getattr(args[0], "co_filename", "")
            if _isinstance(name, str) and name.startswith(self.submission):
                self.state["started"] = True

    def open_(self, event: str, args: tuple) -> None:
        path, mode, flags = (args + (None, None, None))[:3]
        writing = (_isinstance(mode, str) and _any(c in mode for c in "wax+")) or (
            _isinstance(flags, int) and flags & _O_WRITE)
        if writing:
            hit = self._protected_path(path)
            if hit is not None:  # refused like a read-only file system; blamed on student code only
                self.deny(f"writing {hit}", self._student_called())
        elif self.hidden:
            hit = self._protected_path(path, self.hidden)
            if hit is not None and self._student_called():
                # linecache looking up a source line for a traceback or a warning that points
                # into the checks: refused (the line stays blank), not held against the submission
                self.deny(f"reading {hit}", not self._source_line_lookup())

    def _source_line_lookup(self) -> bool:
        """Whether the file is being opened by linecache (through tokenize.open), as the
        traceback, warnings and inspect modules do to show a line of source."""
        frame = self._getframe(_CALLER)
        name = frame.f_code.co_filename if frame is not None else ""
        return name.startswith(self.trusted) and self._basename(name) in _SOURCE_READERS

    def path(self, event: str, args: tuple) -> None:
        for i in _PATH_EVENTS[event]:
            if i < _len(args):
                hit = self._protected_path(args[i])
                if hit is not None:
                    self.deny(f"{event} {hit}", self._student_called())

    def code_swap(self, event: str, args: tuple) -> None:
        """Swapping the code, defaults, globals or closure of a library's or the kit's function."""
        if _len(args) >= 2 and _type(args[0]) is _FunctionType and args[1] in _CODE_ATTRIBUTES:
            fname = args[0].__code__.co_filename
            if fname[:1] != "/" or fname.startswith(self.trusted):
                if self.untrusted_caller(_CALLER + 1, False) is not None:
                    self.deny(f"changing {_getattr(args[0], '__qualname__', '?')}.{args[1]}")

    # -- processes, memory, network ----------------------------------------------------
    def signal(self, event: str, args: tuple) -> None:
        if event == "signal.pthread_kill" or not args or not _isinstance(args[0], int):
            return
        target = args[0]
        if event == "os.killpg":
            if target != self.own_pgrp:
                self.deny(f"killpg({target})")
        elif target == -1 or target in self.ancestors or (target < -1 and -target != self.own_pgrp):
            self.deny(f"kill({target})")

    def spawn(self, event: str, args: tuple) -> None:
        if self._student_called():
            self.deny(f"starting a process ({event})")

    def introspect(self, event: str, args: tuple) -> None:
        if self._student_called():
            self.deny(event)

    def network(self, event: str, args: tuple) -> None:
        if event in ("socket.connect", "socket.bind", "socket.sendto"):
            address = args[1] if _len(args) > 1 else None
            if not _isinstance(address, tuple):  # AF_UNIX paths (multiprocessing) are fine
                return
        if self._student_called():
            self.deny(f"network access ({event})")


_SOURCE_READERS = frozenset({"linecache.py", "tokenize.py"})
_CODE_ATTRIBUTES = frozenset({"__code__", "__defaults__", "__kwdefaults__", "__globals__", "__closure__"})


class Guard:
    """The check process's guard: created after the fork, `install()`ed before student code."""

    def __init__(self, *, submission: str, protected: list[str], trusted: tuple[str, ...],
                 ancestors: set[int], baseline: Baseline | None, hidden: list[str] | None = None) -> None:
        real = os.path.realpath
        self.submission = real(submission).rstrip("/") + "/"

        self.protected = _roots_of(protected)
        # read by student code, these would be an oracle: reference solutions, the kit's
        # alternative solutions and checks, other students' submissions
        self.hidden = _roots_of(hidden or [])
        self.trusted = tuple(t for t in trusted if not self.submission.startswith(t)
                             and not t.startswith(self.submission))
        self.ancestors = frozenset(a for a in ancestors if a > 0)
        self.baseline = baseline
        self._compare = compare_baseline  # bound now: rebinding the module's name later changes nothing
        self.records: list[str] = []
        self.state = {"started": False, "busy": False}

    # -- what counts as student code --------------------------------------------------
    def _make_untrusted_caller(self) -> Callable[..., str | None]:
        trusted = self.trusted
        getframe = sys._getframe

        def untrusted_caller(depth: int = 2, anywhere: bool = True) -> str | None:
            """The file of the innermost untrusted frame on the stack (with `anywhere`), or of
            the calling frame only. Trusted: the Python installation and the private kit."""
            try:
                frame = getframe(depth)
            except ValueError:
                return None
            while frame is not None:
                name = frame.f_code.co_filename
                if not name.startswith(trusted) and not name.startswith("<frozen"):
                    return name
                if not anywhere:
                    return None
                frame = frame.f_back
            return None

        return untrusted_caller

    def install(self) -> None:
        """Add the audit hook and guard module attribute assignments. Call once, in the
        check process, before student code is imported.

        The hook looks each event up in one table of small handlers (`_handlers`); an event
        that has no handler is not watched, so no list of watched events can drift from
        what is handled. Everything the handlers call is bound now, before student code."""
        handlers = self._handlers()
        state = self.state
        get = handlers.get
        frame_attributes, _len = _FRAME_ATTRIBUTES, len

        def hook(event: str, args: tuple) -> None:
            handler = get(event)
            if handler is None or state["busy"]:
                return
            if event == "object.__getattr__" and (_len(args) < 2 or args[1] not in frame_attributes):
                return  # hot: almost no audited attribute read hands out a frame
            state["busy"] = True
            try:
                handler(event, args)
            finally:
                state["busy"] = False

        sys.addaudithook(hook)
        hide_cached_sources(self.hidden, self.submission)
        self._guard_fork_exec()
        self._guard_modules(self._make_untrusted_caller())

    def _handlers(self) -> dict[str, Callable[[str, tuple], None]]:
        """event -> handler. Each handler runs with the hook's `busy` flag set and raises
        `GuardViolation` (recorded against the check unless it is a quiet refusal)."""
        rules = _Rules(self)
        table: dict[str, Callable[[str, tuple], None]] = {e: rules.frame for e in _FRAME_EVENTS}
        table.update({"exec": rules.exec_, "open": rules.open_})
        table.update({e: rules.path for e in _PATH_EVENTS})
        table.update({e: rules.signal for e in _SIGNALS})
        table.update({e: rules.code_swap for e in _CODE_SWAP})
        table.update({e: rules.spawn for e in _SPAWN})
        table.update({e: rules.introspect for e in _INTROSPECT})
        table.update({e: rules.network for e in _NETWORK})
        return table

    @staticmethod
    def _guard_fork_exec() -> None:
        """`_posixsubprocess.fork_exec` raises no audit event of its own: make it."""
        mod = sys.modules.get("_posixsubprocess")
        if mod is None:
            try:
                import _posixsubprocess as mod  # type: ignore[no-redef]
            except ImportError:
                return
        original = mod.fork_exec
        audit = sys.audit

        def fork_exec(*args: Any, **kwargs: Any) -> Any:
            audit("grade.fork_exec")
            return original(*args, **kwargs)

        mod.fork_exec = fork_exec

    def _guard_modules(self, untrusted_caller: Callable[[int], str | None]) -> None:
        """Module attribute assignments made from student code are recorded as they happen:
        this guard becomes the one the `GuardedModule` class reports to, and modules imported
        since the worker converted the others get that class too."""
        _guarded_slot[:] = [self.records, untrusted_caller]
        guard_library_modules()

    # -- after the check ----------------------------------------------------------------
    @property
    def student_started(self) -> bool:
        return bool(self.state["started"])

    def problems(self) -> list[str]:
        """What student code changed or tried that a check may not survive."""
        found = list(dict.fromkeys(self.records))
        if self.baseline is not None:
            self.state["busy"] = True  # our own ctypes reads are not the submission's
            try:
                changes = self._compare(self.baseline, self.trusted)
            except Exception as exc:  # a dictionary a submission made unreadable
                changes = [f"<{type(exc).__name__}>"]
            finally:
                self.state["busy"] = False
            for p in changes:
                if p not in found:
                    found.append(p)
        return found


# -- the sealed verdict ---------------------------------------------------------------------
class Seal:
    """Wraps a check's test function before student code runs and remembers how it ended."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.ended: list[tuple[str, Any, bool]] = []  # ("returned"|"raised", exception, student_started)

    def wrap(self, test: Callable[..., Any]) -> Callable[..., Any]:
        ended = self.ended
        state = self.guard.state
        append = ended.append

        @functools.wraps(test)
        def sealed(*args: Any, **kwargs: Any) -> Any:
            try:
                result = test(*args, **kwargs)
            except BaseException as exc:
                append(("raised", exc, bool(state["started"])))
                raise
            append(("returned", None, bool(state["started"])))
            return result

        return sealed

    def wrap_hypothesis_inner(self, test: Callable[..., Any]) -> None:
        """Make hypothesis' `assume`/`reject` raised from student code a failure of the
        example (and of the check), instead of a silently discarded input."""
        handle = getattr(test, "hypothesis", None)
        inner = getattr(handle, "inner_test", None)
        closure = getattr(test, "__closure__", None)
        if inner is None:
            return
        try:
            from hypothesis.errors import UnsatisfiedAssumption
        except ImportError:  # pragma: no cover
            return
        from checks.feedback import Failure
        from grader.i18n import T

        records = self.guard.records
        submission = self.guard.submission
        trusted = self.guard.trusted

        @functools.wraps(inner)
        def inner_guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return inner(*args, **kwargs)
            except UnsatisfiedAssumption as exc:
                tb = exc.__traceback__
                while tb is not None:
                    name = tb.tb_frame.f_code.co_filename
                    if name.startswith(submission) or (name[:1] == "/" and not name.startswith(trusted)):
                        records.append("hypothesis.assume/reject")
                        raise Failure(
                            T(ja="あなたのコードが hypothesis の assume / reject を呼び、入力を捨てました",
                              en="your code called hypothesis' assume / reject to discard the input"),
                            T(ja="チェックの入力を選り好みせず、すべての入力で正しく動くようにしてください",
                              en="handle every input the check gives; do not filter them"),
                        ) from None
                    tb = tb.tb_next
                raise

        try:
            handle.inner_test = inner_guarded  # hypothesis reads it at every call
        except AttributeError:
            pass
        for cell in closure or ():  # older hypothesis: the inner test sits in the wrapper's closure
            try:
                if cell.cell_contents is inner:
                    cell.cell_contents = inner_guarded
            except ValueError:  # an empty cell
                continue
