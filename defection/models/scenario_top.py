"""Step 6 of the scenario chain: what the top does *as a body* (see ``models.scenario``).

Why a separate step: in Lee & McCarthy (2023, ``lee_mccarthy_2023``), Geddes, Wright &
Frantz (2018, ``geddes_wright_frantz_2018``), Barany (2016, ``barany_2016``) and Svolik
(2012, ``svolik_2012``) a split at the top rarely means generals *leaving*. It means
commanders *using* their command: removing the ruler, negotiating the regime's exit, or
refusing orders. The faction exit of step 3b (the excluded elite breaking away) is one
outcome among four.

The three new outcomes, each a number against a threshold (every weight and threshold
is invented for teaching, a convention to argue with, not an estimate):

* **Palace coup** (Svolik 2012: the ruler cannot commit to sharing power, so when he
  grabs more (capture) or removes allies (purge) the allies who still hold commands may
  remove him first; Geddes, Wright & Frantz: insiders oust personalist rulers). The
  ``coup_bloc`` is the share of the senior tier that still holds a command *and* has a
  grievance against the ruler: cut out of the spoils by the broken rules (they would
  have kept enough under the old rules with the same pool) but not purged, plus, among
  commanders outside the ruling faction who keep their rents, a share equal to the
  purge's reach (they may be next). Officers cut out by a shrinking pool alone blame the
  war and the sanctions, not the ruler; they feed the faction exit instead. A coup
  happens when the bloc reaches ``COUP_THRESHOLD`` (10 % of the senior tier: a handful
  of commanders with troops). The purged do not count: they have lost
  their troops. So a sweeping purge can *prevent* a coup (Svolik's "established"
  autocrat), and a coup needs no rank-and-file defection at all.
* **Negotiated extrication** (O'Donnell & Schmitter 1986, ``odonnell_schmitter_1986``:
  softliners bargain an opening; Geddes et al.: military regimes hand power back when
  staying threatens the institution, if they can protect themselves). Pressure is
  ``(1 - survival) * incentives``: the war looks lost *and* a safe exit (guarantees of
  position, livelihood and amnesty, part of the incentives setting) is on offer. The top
  negotiates at ``EXTRICATION_THRESHOLD`` (0.5). Where prosecution looms with no
  guarantee (the ICC prosecutor's 2024 request for a warrant against Min Aung Hlaing),
  the incentives setting should be read as low for the top.
* **Orders refused** (Lee 2014, ``lee_2014``, and Barany 2016: armies decide a regime's
  fate when they refuse to go on repressing; Svolik: an army the regime depends on for
  repression gains leverage). Pressure is ``rank_and_file_out * (1 - survival)``:
  commanders refuse when their troops are going and the regime looks beaten. Refusal at
  ``REFUSAL_THRESHOLD`` (0.6), set high on purpose so that mass desertion from below
  with a regime still likely to survive (Syria 2011, lesson 1) is *not* a split.

Foreign patrons (arms, aircraft, jet fuel, diplomatic cover) enter step 1 only, by
raising expected survival: that lowers the pressure to extricate and to refuse orders,
but leaves the coup bloc alone, on the assumption that patrons back the regime rather
than its ruler (an assumption, not a finding).
"""

from __future__ import annotations

__all__ = [
    "COUP_THRESHOLD", "EXTRICATION_THRESHOLD", "REFUSAL_THRESHOLD", "OUTCOMES", "HOLDS",
    "coup_bloc", "extrication_pressure", "refusal_pressure", "top_outcomes",
]

#: Share of the senior tier (aggrieved commanders still in post) that can remove the
#: ruler (invented convention).
COUP_THRESHOLD = 0.10
#: Pressure ``(1 - survival) * incentives`` at which the top negotiates its exit (invented).
EXTRICATION_THRESHOLD = 0.50
#: Pressure ``rank_and_file_out * (1 - survival)`` at which commanders refuse orders
#: (invented).
REFUSAL_THRESHOLD = 0.60

#: The four ways the top can break with the ruler, in the order the verdict names them.
OUTCOMES: tuple[str, ...] = (
    "palace coup", "negotiated extrication", "orders refused", "faction exit",
)
#: The verdict when none of them happens.
HOLDS = "the top holds"


def coup_bloc(aggrieved_in_post: float, outsiders_in_post_paid: float, purge: float) -> float:
    """Share of the senior tier with a command and a grievance (0-1).

    ``aggrieved_in_post``: senior officers cut out by the broken rules but not purged;
    ``outsiders_in_post_paid``: senior officers outside the ruling faction, not purged and
    not cut out, of whom a share ``purge`` fear they are next.

    >>> coup_bloc(0.0, 0.3, 0.4)
    0.12
    """
    return round(float(aggrieved_in_post + purge * outsiders_in_post_paid), 12)


def extrication_pressure(survival: float, incentives: float) -> float:
    """The war looks lost and a safe exit is on offer: ``(1 - survival) * incentives``.

    >>> extrication_pressure(0.3, 0.8)
    0.56
    """
    return round(float((1.0 - survival) * incentives), 12)


def refusal_pressure(survival: float, rank_and_file_out: float) -> float:
    """The troops are going and the regime looks beaten: ``out * (1 - survival)``.

    >>> refusal_pressure(0.25, 0.9)
    0.675
    """
    return round(float(rank_and_file_out * (1.0 - survival)), 12)


def top_outcomes(met: dict[str, bool]) -> tuple[str, ...]:
    """The outcomes that happen, in the order of :data:`OUTCOMES` (empty: the top holds).

    >>> top_outcomes({"palace coup": True, "faction exit": True, "orders refused": False})
    ('palace coup', 'faction exit')
    """
    return tuple(name for name in OUTCOMES if met.get(name, False))
