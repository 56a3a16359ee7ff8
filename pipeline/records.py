"""The typed records of xunshi: the output contract that other tools and the scorer read.

Every mention carries its span in the *original* decoded text (`text == original[start:end]`)
and its provenance (`rule_id`, `source`, `score`), so each number in a comparison table can be
traced back to the characters it came from. Field names follow
`../shared/spec/extraction-spec.md`; any change to them bumps `SCHEMA_VERSION`.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.1"

TimeKind = Literal["date", "period", "deadline", "frequency", "duration"]
Role = Literal["responsible", "target", "participant"]
Level = Literal["central", "provincial", "municipal", "county", "township", "village", "unit"]
Approx = Literal["more", "less", "about"]
Scope = Literal["total", "part"]
Status = Literal["done", "planned"]


class Record(BaseModel):
    """Frozen base: records are values, a stage makes new ones instead of editing old ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Span(Record):
    start: int = Field(ge=0, description="offset of the first character in the original text")
    end: int = Field(ge=0, description="offset one past the last character")
    text: str = Field(description="original[start:end], characters as written")


class Mention(Span):
    """Fields every extracted mention shares: where it is, what produced it, how sure it is."""

    doc_id: str = ""
    mention_id: str = ""
    region: str | None = None
    item_id: str | None = None
    rule_id: str = Field(description="dotted id of the rule, or the model name, that produced it")
    source: Literal["rule", "model"] = "rule"
    score: float = 1.0
    explanation: str | None = None


class Quantity(Mention):
    gold_key: ClassVar[str] = "quantities"  # the list that holds them in a gold file (the spec's)
    kind: Literal["quantity"] = "quantity"
    value: float
    value_max: float | None = None
    approx: Approx | None = None
    unit: str | None = Field(None, description="classifier or unit, simplified (个 项 人 % 万元 …)")
    counted: str | None = Field(None, description="the noun counted, simplified")
    ordinal: bool = False
    measure: str | None = Field(
        None, description="what the figure counts towards a comparison (spec §5a): an inspection "
                          "outcome id (problems.found, rectification.done …), a work-report "
                          "indicator of rules/measures.yaml (economy.gdp.growth …), or null")
    scope: Scope | None = Field(
        None, description="total, or part of a figure given beside it (其中, 包括, 含); null "
                          "when measure is")
    status: Status | None = Field(
        None, description="done (achieved or under way), or planned (a target, plan or "
                          "requirement); null when measure is")
    measure_rule: str | None = Field(
        None, description="id of the rules/measures.yaml rule that decided measure (an "
                          "exclusion too); null when no rule fired")
    scope_rule: str | None = Field(None, description="id of the part cue that made it a part")
    status_rule: str | None = Field(None, description="id of the status cue that decided status")


class Time(Mention):
    gold_key: ClassVar[str] = "times"
    kind: Literal["time"] = "time"
    time_kind: TimeKind
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    offset: str | None = Field(None, description="ISO 8601 duration of a relative deadline (P2M)")
    anchor: str | None = Field(None, description="the event a relative deadline counts from (反馈)")


class Body(Mention):
    gold_key: ClassVar[str] = "bodies"
    kind: Literal["body"] = "body"
    name: str = Field(description="normalised simplified full name, region filled in")
    role: Role = "participant"
    level: Level | None = None


# Every kind of mention, in the order tables and reports show them: the run, the scorer, the
# golden files and the comparison tables learn the kinds from here.
MENTION_TYPES: tuple[type[Mention], ...] = (Quantity, Time, Body)
AnyMention = Annotated[Union[MENTION_TYPES], Field(discriminator="kind")]


class Cue(Record):
    """Why an item was put in a practice category: the cue term and where it fired."""

    category: str
    cue: str
    start: int
    end: int


class WorkItem(Span):
    doc_id: str = ""
    item_id: str = ""
    action: str = Field(description="the main verb of the clause, simplified")
    task: str | None = Field(None, description="the verb's object phrase, simplified")
    region: str | None = None
    section: str | None = Field(None, description="the heading the item sits under")
    category: list[str] = Field(default_factory=list)
    cues: list[Cue] = Field(default_factory=list)
    responsible: list[str] = Field(default_factory=list, description="names of responsible bodies")
    mention_ids: list[str] = Field(default_factory=list)
    rule_id: str = "item"
    source: Literal["rule", "model"] = "rule"
    score: float = 1.0


class RegionSpan(Record):
    """A stretch of the text that speaks for one province-level region."""

    region: str
    start: int
    end: int
    rule_id: str = ""


class Heading(Span):
    level: int = Field(1, description="1 for 一、, 2 for （一）, 3 for 1., 0 for unnumbered lines")


class Document(Record):
    schema_version: str = SCHEMA_VERSION
    doc_id: str = Field(description="the path relative to the input folder given, with `/` (prefixed by "
                        "the folder's name when several inputs are given); for a file given directly, "
                        "the first 16 hex digits of its SHA-256; the same from any working directory")
    path: str
    sha256: str
    title: str | None = None
    script: Literal["simplified", "traditional", "mixed"] = "simplified"
    encoding: str = "utf-8"
    chars: int
    reference_date: dt.date | None = None
    reference_date_source: str | None = Field(
        None, description="cli | manifest | dateline | session | latest_date | manifest_year: where "
                    "the date came from (manifest_year: only the year is known, the date is its 1 January)")
    regions: list[RegionSpan] = Field(default_factory=list)
    headings: list[Heading] = Field(default_factory=list)
    mentions: list[AnyMention] = Field(default_factory=list)
    items: list[WorkItem] = Field(default_factory=list)


class ErrorRecord(Record):
    path: str
    code: str
    message: str


def kind_of(record: type[Mention]) -> str:
    """The `kind` a mention record is written with (`quantity`)."""
    return record.model_fields["kind"].default


def own_fields(record: type[Mention]) -> tuple[str, ...]:
    """The values a kind of mention adds to every mention's (`value`, `unit` … of a quantity),
    without the ids of the rules that decided them (`measure_rule` …: provenance, as `rule_id`)."""
    return tuple(f for f in record.model_fields
                 if f not in Mention.model_fields and f != "kind" and not f.endswith("_rule"))


KINDS: tuple[str, ...] = tuple(kind_of(t) for t in MENTION_TYPES)
RECORD_TYPES: dict[str, type[BaseModel]] = {
    "document": Document, **{kind_of(t): t for t in MENTION_TYPES},
    "work_item": WorkItem, "error": ErrorRecord,
}
