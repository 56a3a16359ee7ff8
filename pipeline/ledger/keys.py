"""Link keys: one string per body, so that a notice's `区市场监管局党组`, its title's
`中共江畔区市场监督管理局党组` and next year's notice of the same bureau meet.

The key is the name without `中共`, with the abbreviations of `rules/ledger.yaml` expanded, a
place committee reduced to its place (`宜城市委` → `宜城市`) and one final party organ removed
(`…局党组` → `…局`). Two keys name one body when they are equal, or when the longer one only
adds the place the shorter one leaves implicit (`区市场监督管理局` in a document about 江畔区).
"""
from __future__ import annotations

from pipeline.ledger.rules import ledger_rules

MIN_SHARED = 3  # a shorter key must keep at least this much of a name to be the same body


def key(name: str) -> str:
    """The link key of a body's normalised name."""
    rules = ledger_rules()
    abbr = rules.spec.keys.abbreviations
    name = rules.drop_prefix.sub("", name.strip())
    name = rules.abbreviations.sub(lambda m: abbr[m.group()], name)
    place = rules.place_committee.match(name)
    if place:
        return place["place"]
    return rules.party_suffix.sub("", name, count=1) or name


def same_body(a: str, b: str) -> bool:
    """Whether two keys name one body: equal, or one is the other with its place filled in
    (the shorter starts with a bare level, 区…, or the added part ends with one, 松川县+石塘镇)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < MIN_SHARED or not long_.endswith(short):
        return False
    levels = ledger_rules().spec.keys.level_chars
    return short[0] in levels or long_[-len(short) - 1] in levels
