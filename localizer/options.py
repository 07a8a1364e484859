"""The limits of every numeric option, in one table for the library and the command line.

:data:`LIMITS` is read by :class:`neuroloc.Localizer` (its argument checks) and by the click
options of :mod:`neuroloc.cli` (their parameter type), so a bad value gives the same one-line
message either way:

>>> LIMITS["top"].check(0)
Traceback (most recent call last):
...
neuroloc.anatomy.errors.NeurolocError: top (--top) must be a whole number from 1 to 50, not 0
>>> LIMITS["timeout"].check(2)
2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neuroloc.anatomy.errors import NeurolocError


@dataclass(frozen=True, slots=True)
class Limit:
    """The bounds of one option: whole numbers from ``low`` to ``high``, or (``whole`` false)
    numbers from ``low`` (excluded when ``above``) to ``high``."""

    name: str  # the library's keyword
    option: str  # the command line's spelling ("" when only the library takes it)
    low: float
    high: float
    default: float
    whole: bool = True
    above: bool = False  # ``low`` itself is refused (a timeout must be above 0)
    unit: str = ""

    def message(self, value: Any) -> str:
        """The one line said about a bad value, by the library and the command line alike
        (a value typed on the command line is shown as typed)."""
        shown = value if isinstance(value, str) else repr(value)
        head = f"{self.name} ({self.option}) must be" if self.option else f"{self.name} must be"
        if self.whole:
            return f"{head} a whole number from {self.low:g} to {self.high:g}, not {shown}"
        low = f"above {self.low:g}" if self.above else f"at least {self.low:g}"
        unit = f" {self.unit}" if self.unit else ""
        return f"{head} a number{unit} {low} and at most {self.high:g}, not {shown}"

    def check(self, value: Any) -> Any:
        """``value`` when it is within the limit; otherwise :class:`NeurolocError`."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if self.whole and not isinstance(value, int):
            number = False
        if not number or value != value:  # NaN is no number of seconds
            raise NeurolocError(self.message(value))
        low_ok = value > self.low if self.above else value >= self.low
        if not (low_ok and value <= self.high):
            raise NeurolocError(self.message(value))
        return value

    def parse(self, text: Any) -> Any:
        """A command-line value (text) read as this option's number, then checked."""
        if isinstance(text, int | float) and not isinstance(text, bool):
            return self.check(text)
        typed = str(text).strip()
        try:
            value = int(typed) if self.whole else float(typed)
            return self.check(value)
        except (ValueError, NeurolocError):
            raise NeurolocError(self.message(typed)) from None


LIMITS: dict[str, Limit] = {
    limit.name: limit
    for limit in (
        Limit("top", "--top", 1, 50, 5),
        Limit("max_lesions", "--max-lesions", 1, 5, 3),
        Limit("timeout", "--timeout", 0, 3600, 5.0, whole=False, above=True, unit="of seconds"),
        Limit("tests", "", 0, 10, 3),  # explain: the next tests whose results are tried
        Limit("jobs", "--jobs", 1, 64, 0),  # batch: worker processes (default: the cores)
        Limit("threshold", "--threshold", 0.5, 1.0, 0.9, whole=False),  # exam: when to stop
    )
}

DEFAULT_TOP = int(LIMITS["top"].default)
DEFAULT_MAX_LESIONS = int(LIMITS["max_lesions"].default)
DEFAULT_TIMEOUT = LIMITS["timeout"].default
