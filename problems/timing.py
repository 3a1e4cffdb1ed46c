"""Time limits from reference runs, by the Kattis/ICPC package rules (plain arithmetic, no Django).

Legacy format: limit = slowest accepted × time_multiplier (5), rounded up to whole seconds;
a time_limit_exceeded submission must still time out at limit × time_safety_margin (2).
2023-07 and later: × limits.time_multipliers.ac_to_time_limit (2.0), rounded up to limits.time_resolution
(1.0); the margin is time_multipliers.time_limit_to_tle (1.5).
"""

import math
from dataclasses import dataclass

MIN_DERIVED_TIME_LIMIT = 1.0  # seconds: below this, start-up noise (an interpreter, a JVM) decides verdicts
LEGACY_MULTIPLIER = 5.0
LEGACY_SAFETY_MARGIN = 2.0
NEW_MULTIPLIER = 2.0  # 2023-07: ac_to_time_limit
NEW_SAFETY_MARGIN = 1.5  # 2023-07: time_limit_to_tle
DEFAULT_RESOLUTION = 1.0


@dataclass(frozen=True)
class TimeRules:
    """How a problem's time limit is derived and how much room its reference runs must leave."""

    multiplier: float = LEGACY_MULTIPLIER
    safety_margin: float = LEGACY_SAFETY_MARGIN
    resolution: float = DEFAULT_RESOLUTION


def time_limit_derive(*, slowest: float, rules: TimeRules) -> float:
    """slowest × multiplier, rounded up to the resolution, at least MIN_DERIVED_TIME_LIMIT (callers clamp
    the top)."""
    return max(
        MIN_DERIVED_TIME_LIMIT, round_up(seconds=slowest * rules.multiplier, resolution=rules.resolution)
    )


def round_up(*, seconds: float, resolution: float) -> float:
    """Up to a multiple of resolution. round() before ceil(), so that 0.6 × 2 = 1.2000000000000002 at
    resolution 0.1 stays 1.2 rather than 1.3."""
    return round(math.ceil(round(seconds / resolution, 6)) * resolution, 6)


def ac_within_margin(*, seconds: float, limit: float, rules: TimeRules) -> bool:
    """An accepted run leaves room for slower machines: it takes at most limit / safety margin."""
    return seconds <= limit / rules.safety_margin + 1e-9


def tle_limit(*, limit: float, rules: TimeRules) -> float:
    """The limit a time_limit_exceeded submission must still exceed."""
    return round(limit * rules.safety_margin, 6)
