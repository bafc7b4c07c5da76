"""What every `make eval` script shares: where ../shared is, and floors.

The real-data evaluations read other people's data in place from ``../shared``
(or ``$NEWSARCHIVE_SHARED``); nothing of it is copied into the project, and
``make test`` never calls this.  Each evaluation module under ``bench/``
exposes ``evaluate(check)``, prints its figures, and calls ``check`` once per
figure that has a floor.  ``bench/eval.py`` runs them all and fails the run
when any figure is under its floor.

Floors sit just under the measured figures and only ever move up: a floor that
has to come down is a regression to explain, not a number to edit.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSARCHIVE_SHARED", ROOT.parent / "shared"))


class MissingData(RuntimeError):
    """Raised when a file or folder the evaluation reads is not there."""


def shared(*parts: str) -> Path:
    """The path of ``parts`` under ../shared, or :class:`MissingData`."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        raise MissingData(
            f"make eval needs {path} (the shared evaluation data beside the clone, "
            f"or set NEWSARCHIVE_SHARED); it is missing"
        )
    return path


@dataclass
class Check:
    """One figure against its floor (``at_least``) or ceiling (``at_most``)."""

    name: str
    value: float
    bound: float
    at_least: bool = True

    @property
    def ok(self) -> bool:
        return self.value >= self.bound if self.at_least else self.value <= self.bound

    def line(self) -> str:
        rel = ">=" if self.at_least else "<="
        mark = "ok" if self.ok else "FAIL"
        return f"  {mark:4} {self.name:<44} {self.value:10.4f}  (needs {rel} {self.bound:g})"


@dataclass
class Checker:
    """Collects the checks of one run; call it like a function."""

    checks: list = field(default_factory=list)

    def __call__(self, name: str, value: float, floor: float) -> bool:
        return self._add(Check(name, float(value), float(floor), True))

    def at_most(self, name: str, value: float, ceiling: float) -> bool:
        return self._add(Check(name, float(value), float(ceiling), False))

    def _add(self, c: Check) -> bool:
        self.checks.append(c)
        print(c.line(), flush=True)
        return c.ok

    @property
    def failed(self) -> list:
        return [c for c in self.checks if not c.ok]
