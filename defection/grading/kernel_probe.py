"""The grader's own code inside a submission's kernel: its text is pasted into two cells.

Why a file that is never imported in the kernel: the grader runs this function once before
the first student cell ("start") and once after the last ("end"), and reads what it prints.
Pasting its text into the cell, rather than importing it, means student code cannot swap
the module for another. It must not import anything from ``defection`` itself and must
keep to the standard library (see :mod:`defection.grading.integrity` for the threat model).

At the start it imports every check module (so the fingerprint covers all of them before
any student code runs), fingerprints them, and installs an audit hook (PEP 578) that
tallies what the notebook tries: writes and reads outside what it is given, network
connections, programs started. At the end it fingerprints again and reports the tallies.
"""


def _defection_probe(stage, marker, modules, workdir, readable, writable):  # noqa: C901
    import hashlib
    import importlib
    import json
    import os
    import pkgutil
    import sys
    import types

    if stage == "start":
        for name in ["defection.checks", *modules]:
            try:
                importlib.import_module(name)
            except Exception:
                pass
        pkg = sys.modules.get("defection.checks")
        for info in pkgutil.walk_packages(getattr(pkg, "__path__", []), "defection.checks."):
            try:
                importlib.import_module(info.name)
            except Exception:
                pass

    def code_parts(code):
        # Not marshal.dumps(code) alone: its bytes depend on reference counts.
        consts = [code_parts(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts]
        return [code.co_code.hex(), consts, code.co_names, code.co_varnames, code.co_freevars,
                code.co_cellvars, code.co_flags, code.co_argcount, code.co_kwonlyargcount]  # fmt: skip

    def code_id(code):
        try:
            return hashlib.sha256(json.dumps(code_parts(code), default=str).encode()).hexdigest()[:16]
        except Exception:
            return "code:" + str(id(code))

    def val(x, depth=0):
        if isinstance(x, types.FunctionType):
            return ["fn", id(x), code_id(x.__code__), val(x.__defaults__, depth + 1),
                    val(x.__kwdefaults__, depth + 1)]  # fmt: skip
        if isinstance(x, (classmethod, staticmethod)):
            return [type(x).__name__, val(x.__func__, depth + 1)]
        if isinstance(x, property):
            return ["property", val(x.fget, depth + 1), val(x.fset, depth + 1), val(x.fdel, depth + 1)]
        if isinstance(x, types.MethodType):
            return ["method", val(x.__func__, depth + 1), id(x.__self__)]
        if isinstance(x, type):
            return ["type", x.__module__, x.__qualname__, id(x)]
        if isinstance(x, types.ModuleType):
            return ["module", x.__name__, id(x)]
        if x is None or isinstance(x, (bool, int, float, complex)):
            return repr(x)
        if isinstance(x, (str, bytes)):
            return hashlib.sha256(repr(x).encode()).hexdigest()[:16]
        if depth < 4 and type(x) in (list, tuple):
            return [type(x).__name__, [val(i, depth + 1) for i in x[:500]]]
        if depth < 4 and type(x) in (set, frozenset):
            return [type(x).__name__, sorted(json.dumps(val(i, depth + 1)) for i in list(x)[:500])]
        if depth < 4 and type(x) is dict:
            return ["dict", [[repr(k)[:100], val(v, depth + 1)] for k, v in list(x.items())[:500]]]
        return ["object", type(x).__module__, type(x).__qualname__, id(x)]

    def state(obj):
        # A question's own attributes, less the caches it fills when it is first used.
        items = sorted((k, v) for k, v in vars(obj).items()
                       if not (k.endswith("_cache") or k == "_hint_index"))  # fmt: skip
        return [[k, val(v, 1)] for k, v in items]

    def digest(item):
        return hashlib.sha256(json.dumps(item, default=str).encode()).hexdigest()[:16]

    prints = {}
    watched = sorted(n for n in list(sys.modules)
                     if n == "defection" or n.startswith("defection.checks") or n in modules)  # fmt: skip
    for name in watched:
        mod = sys.modules.get(name)
        if mod is None:
            continue
        prints[name] = digest(["module", id(mod)])
        for attr, value in sorted(vars(mod).items()):
            if attr.startswith("__") and attr.endswith("__"):
                continue
            key = name + "." + attr
            if isinstance(value, type) and value.__module__ == name:
                prints[key] = digest(["class", id(value), [id(b) for b in value.__bases__]])
                for k, v in sorted(vars(value).items()):
                    if k not in ("__dict__", "__weakref__", "__doc__"):
                        prints[key + "." + k] = digest(val(v))
            elif isinstance(value, list) and type(value) is not list:
                prints[key] = digest(["set", id(value), [id(q) for q in value], state(value)])
            elif hasattr(value, "evaluate") and hasattr(value, "variable") and hasattr(value, "__dict__"):
                prints[key] = digest(["question", id(value), id(type(value)), state(value)])
            else:
                prints[key] = digest(val(value))

    if stage == "start":
        tally = {"write": 0, "read": 0, "connect": 0, "spawn": 0}
        sep = os.sep

        def inside(path, roots):
            return any(path == r or path.startswith(r.rstrip(sep) + sep) for r in roots)

        def hook(event, args):
            try:
                if event == "open":
                    path, mode, flags = args
                    if isinstance(path, bytes):
                        path = os.fsdecode(path)
                    if not isinstance(path, str):
                        return
                    path = os.path.normpath(os.path.join(workdir, path))
                    writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                        isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
                    if writing and not inside(path, writable):
                        tally["write"] += 1
                    elif not writing and not inside(path, readable):
                        tally["read"] += 1
                elif event in ("os.listdir", "os.scandir"):
                    path = args[0]
                    if isinstance(path, (str, bytes)):
                        path = os.path.normpath(os.path.join(workdir, os.fsdecode(path)))
                        if not inside(path, readable):
                            tally["read"] += 1
                elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
                    tally["connect"] += 1
                elif event in ("subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn",
                               "os.exec", "os.fork", "os.forkpty", "pty.spawn"):  # fmt: skip
                    tally["spawn"] += 1
            except Exception:
                pass

        sys.addaudithook(hook)
        holder = types.ModuleType("_defection_audit")
        holder.tally = tally
        sys.modules["_defection_audit"] = holder
        found = dict(tally)
    else:
        holder = sys.modules.get("_defection_audit")
        found = dict(getattr(holder, "tally", None) or {"missing": 1})
    print(marker + " " + json.dumps({"stage": stage, "prints": prints, "tally": found}), flush=True)
