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

SCHEMA_VERSION = "1.2"

TimeKind = Literal["date", "period", "deadline", "frequency", "duration"]
Role = Literal["responsible", "target", "participant"]
Level = Literal["central", "provincial", "municipal", "county", "township", "village", "unit"]
Approx = Literal["more", "less", "about"]
Direction = Literal["up", "down"]
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

    doc_id: str = Field("", description="the document's id (documents.jsonl)")
    mention_id: str = Field("", description="the mention's id, unique within its document (m0001)")
    region: str | None = Field(None, description="full name of the province-level region whose "
                               "passage holds it (河北省), null outside any region")
    item_id: str | None = Field(None, description="the work item that holds it, if any")
    rule_id: str = Field(description="dotted id of the rule, or the model name, that produced it")
    source: Literal["rule", "model"] = Field("rule", description="rule: a rule of rules/ found "
                                             "it; model: the trained body model did")
    score: float = Field(1.0, description="confidence: 1 for a rule, the model's probability "
                         "for a model span")
    explanation: str | None = Field(None, description="how the fields were decided, for "
                                    "checking (free text)")


class Quantity(Mention):
    gold_key: ClassVar[str] = "quantities"  # the list that holds them in a gold file (the spec's)
    kind: Literal["quantity"] = Field("quantity", description="the kind of mention")
    value: float = Field(description="the number, 万 and 亿 applied (1.3万余人 → 13000), except "
                         "for money, whose unit keeps them (1376万余元 → 1376 万元)")
    value_max: float | None = Field(None, description="upper bound of a range (1至2个 → 2)")
    approx: Approx | None = Field(None, description="more (余 多 以上 超过), less (近 不到 以下), "
                                  "about (约 左右), null when exact")
    unit: str | None = Field(None, description="classifier or unit, simplified (个 项 人 % 万元 …)")
    counted: str | None = Field(None, description="the noun counted, simplified")
    ordinal: bool = Field(False, description="true for an ordinal (第六轮 首轮 第一批), which "
                          "counts nothing")
    direction: Direction | None = Field(
        None, description="the direction of change the verb right before the figure states: up "
                          "(增长 增加 提高 比…多), down (下降 减少 压减 负增长 比…少), null for a level "
                          "(为 达到 降至 提高到) or no verb. The value keeps its written sign: 下降3.9% "
                          "is 3.9 down, 负3.9% is -3.9; the signed change is -value when down")
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
    kind: Literal["time"] = Field("time", description="the kind of mention")
    time_kind: TimeKind = Field(description="date (a point), period (a span), deadline (a bound), "
                                "frequency (每年), duration (为期2个月)")
    start_date: dt.date | None = Field(None, description="first day the time covers, when the "
                                       "text and the reference date fix it")
    end_date: dt.date | None = Field(None, description="last day the time covers (a deadline's "
                                     "bound), when fixed")
    offset: str | None = Field(None, description="ISO 8601 duration: of a relative deadline "
                               "(反馈后2个月内 → P2M) or of a duration (为期45天 → P45D)")
    anchor: str | None = Field(None, description="the event a relative deadline counts from (反馈)")


class Body(Mention):
    gold_key: ClassVar[str] = "bodies"
    kind: Literal["body"] = Field("body", description="the kind of mention")
    name: str = Field(description="normalised simplified full name, region filled in")
    role: Role = Field("participant", description="responsible (does or leads the act), target "
                       "(inspected, supervised, asked to rectify), participant (otherwise)")
    level: Level | None = Field(None, description="central, provincial, municipal, county, "
                                "township, village, or unit (enterprise, university …); null "
                                "if unclear")


# Every kind of mention, in the order tables and reports show them: the run, the scorer, the
# golden files and the comparison tables learn the kinds from here.
MENTION_TYPES: tuple[type[Mention], ...] = (Quantity, Time, Body)
AnyMention = Annotated[Union[MENTION_TYPES], Field(discriminator="kind")]


class Cue(Record):
    """Why an item was put in a practice category: the cue term and where it fired."""

    category: str = Field(description="the practice category (rules/practices.yaml name)")
    cue: str = Field(description="the cue term that put the item in it, simplified")
    start: int = Field(description="offset of the cue's first character in the original text")
    end: int = Field(description="offset one past the cue's last character")


class WorkItem(Span):
    """A clause stating a concrete act done, under way or to be done, with what it acts on."""

    doc_id: str = Field("", description="the document's id (documents.jsonl)")
    item_id: str = Field("", description="the item's id, unique within its document (i0001)")
    action: str = Field(description="the main verb of the clause, simplified")
    task: str | None = Field(None, description="the verb's object phrase, simplified")
    region: str | None = Field(None, description="full name of the province-level region whose "
                               "passage holds it, null outside any region")
    section: str | None = Field(None, description="the heading the item sits under")
    category: list[str] = Field(default_factory=list, description="practice categories "
                                "(rules/practices.yaml) its cues put it in")
    cues: list[Cue] = Field(default_factory=list, description="the cue behind each category, "
                            "with its offsets")
    responsible: list[str] = Field(default_factory=list, description="names of responsible bodies")
    mention_ids: list[str] = Field(default_factory=list, description="ids of the quantities, "
                                   "times and bodies inside it")
    rule_id: str = Field("item", description="the rule that built it")
    source: Literal["rule", "model"] = Field("rule", description="rule or model, as for mentions")
    score: float = Field(1.0, description="confidence, 1 for a rule")


class RegionSpan(Record):
    """A stretch of the text that speaks for one province-level region."""

    region: str = Field(description="full name of the province-level region (河北省)")
    start: int = Field(description="offset where the region's passage starts")
    end: int = Field(description="offset one past its end")
    rule_id: str = Field("", description="how it was found (region.heading, region.signature, "
                         "…; region.default: the manifest's or --region's region)")


class Heading(Span):
    level: int = Field(1, description="1 for 一、, 2 for （一）, 3 for 1., 0 for unnumbered lines")


class Document(Record):
    """One report read: where it came from, how it was decoded, what date and regions it has."""

    schema_version: str = Field(SCHEMA_VERSION, description="version of this output schema")
    doc_id: str = Field(description="the document's id, which every record of it carries: the path "
                        "relative to the input folder given, with `/` (prefixed by the folder's name "
                        "when several inputs are given); for a file given directly, the first 16 hex "
                        "digits of its SHA-256; the same from any working directory")
    path: str = Field(description="the file, as reached from the argument given to extract")
    sha256: str = Field(description="SHA-256 of the file's bytes")
    title: str | None = Field(None, description="the title, from the manifest or the text")
    script: Literal["simplified", "traditional", "mixed"] = Field(
        "simplified", description="the script the text is written in")
    encoding: str = Field("utf-8", description="how the bytes were decoded (utf-8, gb18030, "
                          "big5 …), or the format read (docx, html, pdf)")
    chars: int = Field(description="length of the decoded text, in characters")
    reference_date: dt.date | None = Field(None, description="the date relative times (今年, "
                                           "年底前) resolve against")
    reference_date_source: str | None = Field(
        None, description="cli | manifest | dateline | session | latest_date | manifest_year: where "
                    "the date came from (manifest_year: only the year is known, the date is its 1 January)")
    regions: list[RegionSpan] = Field(default_factory=list, description="passages that speak "
                                      "for one province-level region")
    headings: list[Heading] = Field(default_factory=list, description="section headings")
    mentions: list[AnyMention] = Field(default_factory=list, description="quantities, times and "
                                       "bodies (in mentions.jsonl, not in documents.jsonl)")
    items: list[WorkItem] = Field(default_factory=list, description="work items (in items.jsonl)")


class ErrorRecord(Record):
    """A file that could not be read as a report; the run went on without it."""

    path: str = Field(description="the file")
    code: str = Field(description="the cause: empty, binary, undecodable, unreadable, too_large, "
                      "unsupported, no_text, corrupt, outside, own_output, timeout, memory, "
                      "failed, manifest")
    message: str = Field(description="the reason, for people")


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
