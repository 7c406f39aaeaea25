"""The scenario explorer's named presets: settings for six situations, and one note each.

Kept apart from the chain (``defection.models.scenario``) because they are data, not
logic: lesson 5 justifies every value from the sources in a table, and an instructor who
wants another preset adds it here without touching the model. The settings are the five
of :data:`defection.models.scenario.SETTINGS`, each between 0 and 1; none is a measurement.
No preset breaks the sharing rules (purge and capture 0): the course has no row showing a
purge of the top since 2021, so lesson 5 varies them as "what would have to be true?".
"""

from __future__ import annotations

__all__ = ["PRESETS", "PRESET_NOTES"]

#: Named scenarios. The lesson justifies each value with sources.
PRESETS: dict[str, dict[str, float]] = {
    "2021 as it was": dict(
        incentives=0.3,
        economic_pressure=0.5,
        battlefield_losses=0.1,
        repression=0.7,
        absorption=0.1,
        purge=0.0,
        capture=0.0,
        war_rents=0.0,
        patrons=0.5,
    ),
    "After Operation 1027 (2024)": dict(
        incentives=0.35,
        economic_pressure=0.6,
        battlefield_losses=0.6,
        repression=0.75,
        absorption=0.15,
        purge=0.0,
        capture=0.0,
        war_rents=0.0,
        patrons=0.5,
    ),
    "2025: ceasefires and the election": dict(
        incentives=0.3,
        economic_pressure=0.6,
        battlefield_losses=0.3,
        repression=0.75,
        absorption=0.15,
        purge=0.0,
        capture=0.0,
        war_rents=0.3,
        patrons=0.7,
    ),
    "Strong external support": dict(
        incentives=0.8,
        economic_pressure=0.6,
        battlefield_losses=0.6,
        repression=0.75,
        absorption=0.8,
        purge=0.0,
        capture=0.0,
        war_rents=0.0,
        patrons=0.5,
    ),
    "Economic collapse": dict(
        incentives=0.35,
        economic_pressure=1.0,
        battlefield_losses=0.6,
        repression=0.75,
        absorption=0.15,
        purge=0.0,
        capture=0.0,
        war_rents=0.0,
        patrons=0.5,
    ),
    "Everything at once (hypothetical)": dict(
        incentives=0.8,
        economic_pressure=0.9,
        battlefield_losses=0.8,
        repression=0.5,
        absorption=0.8,
        purge=0.0,
        capture=0.0,
        war_rents=0.0,
        patrons=0.3,
    ),
}

#: One line per preset saying what it stands for (the lesson gives the sources).
PRESET_NOTES: dict[str, str] = {
    "2021 as it was": (
        "CDM, boycotts and first defector groups; few battlefield losses; little support."
    ),
    "After Operation 1027 (2024)": (
        "mass surrenders and lost bases; conscription; support still thin."
    ),
    "2025: ceasefires and the election": (
        "China-brokered truces, Lashio handed back, the junta's vote."
    ),
    "Strong external support": "as after 1027, plus credible guarantees and funded absorption.",
    "Economic collapse": "as after 1027, with the economy and the regime's rents in free fall.",
    "Everything at once (hypothetical)": "every condition the sources name, at the same time.",
}
