"""Run a function right after a module is first imported (a post-import hook).

Why: ``defection.setup()`` is every notebook's first cell, and importing altair 6 is most
of its cost (its schema modules alone are several MB of Python). The course must still
configure altair (theme, offline renderer) before any chart is shown, including a chart a
student builds after ``import altair as alt`` in their own cell. So ``setup()`` configures
altair at once if it is already imported, and otherwise asks to be called back the moment
anything imports it. The first chart cell then pays for altair, and the first cell of a
notebook returns as fast as ``import pandas, ipywidgets``.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable
from types import ModuleType


class _CallbackLoader(importlib.abc.Loader):
    """Wraps the module's real loader; calls the callbacks once its code has run."""

    def __init__(self, loader: importlib.abc.Loader, callbacks: list[Callable[[ModuleType], None]]):
        self._loader = loader
        self._callbacks = callbacks

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        for callback in self._callbacks:
            callback(module)

    def __getattr__(self, name):  # resource readers, get_data, is_package, ...
        return getattr(self._loader, name)


class _AfterImportFinder(importlib.abc.MetaPathFinder):
    def __init__(self, name: str):
        self.name = name
        self.callbacks: list[Callable[[ModuleType], None]] = []

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)  # one shot: let the normal finders find it
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None:
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None)
                spec = find(fullname, path, target) if find else None
                if spec is not None:
                    break
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _CallbackLoader(spec.loader, self.callbacks)
        return spec


def when_imported(name: str, callback: Callable[[ModuleType], None]) -> None:
    """Call ``callback(module)`` now if ``name`` is imported, else right after its import."""
    module = sys.modules.get(name)
    if module is not None:
        callback(module)
        return
    for finder in sys.meta_path:
        if isinstance(finder, _AfterImportFinder) and finder.name == name:
            finder.callbacks.append(callback)
            return
    finder = _AfterImportFinder(name)
    finder.callbacks.append(callback)
    sys.meta_path.insert(0, finder)
