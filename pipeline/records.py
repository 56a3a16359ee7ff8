"""The typed records of xunshi: the output contract that other tools and the scorer read.

Every mention carries its span in the *original* decoded text (`text == original[start:end]`)
and its provenance (`rule_id`, `source`, `score`), so each number in a comparison table can be
traced back to the characters it came from. Field names follow
`../shared/spec/extraction-spec.md`; any change to them bumps `SCHEMA_VERSION`.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, ClassVar, Literal, TypeVar, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.4"  # 1.4: documents carry their `home`

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


R = TypeVar("R", bound=Record)
_new = object.__new__
# The setters of the slots that hold a record's state, called directly: through
# `object.__setattr__` each set costs twice as much (a generic wrapper, an argument tuple).
SET_DICT, SET_EXTRA, SET_FIELDS_SET, SET_PRIVATE = (
    BaseModel.__dict__[slot].__set__
    for slot in ("__dict__", "__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__"))


def evolve(record: R, update: dict) -> R:
    """`record.model_copy(update=update)` without pydantic's generic path (extra fields, private
    attributes: a record has neither), at a third of its cost: the same values, the same
    fields set, no validation either. A run makes one per mention and stage."""
    new = _new(type(record))
    values = record.__dict__.copy()
    values.update(update)
    SET_DICT(new, values)
    SET_EXTRA(new, None)
    SET_FIELDS_SET(new, fields_with(record.__pydantic_fields_set__, update))
    SET_PRIVATE(new, None)
    return new


def fields_with(fields: set, names) -> set:
    """A record's fields set with `names` (field names, or a dict's keys) added, changing
    neither: a shared one (`SharedFields`) gives the shared set with them, any other a new set."""
    return fields.with_(names) if type(fields) is SharedFields else fields.union(names)


class SharedFields(set):
    """A fields set that many records made by `made` share (every item of a run sets the same
    fields): pydantic reads it as any set (`exclude_unset`), copies it into a plain set where it
    would change it (`model_copy`), and nothing can change it in place, so no record can alter
    another's. Sharing it saves every item a set of a dozen fields, a third of `made`'s cost."""

    def __init__(self, names=()):
        super().__init__(names)
        self._with: dict[tuple[str, ...], SharedFields] = {}

    def with_(self, names) -> SharedFields:
        """This set with `names` (field names, or a dict's keys) added; itself when it holds
        them. The records that shared this set and are given the same fields share the result
        too: it is made once and kept here, so a stage that sets fields on many records (an
        extractor's own, numbering, `evolve`) gives none of them a set of its own."""
        key = tuple(names)
        found = self._with.get(key)
        if found is None:
            found = self._with[key] = (self if self.issuperset(key)
                                       else SharedFields(self.union(key)))
        return found

    def _unchanged(self, *args):
        raise TypeError("the fields set of a record cannot change")

    add = discard = remove = pop = clear = update = _unchanged
    difference_update = intersection_update = symmetric_difference_update = _unchanged
    __ior__ = __iand__ = __isub__ = __ixor__ = _unchanged

    def __copy__(self) -> set:
        return set(self)


class Ids:
    """The ids of a document's records of one kind, in text order (`m0001`, `i0001` …, more
    digits past 9999): made once per process and shared by every document, as far as one has
    needed (formatting an id for each record cost a tenth of making an item)."""

    def __init__(self, prefix: str):
        self.prefix, self.made = prefix, []

    def first(self, n: int) -> list[str]:
        """At least the first `n` ids. More are made twice as many at a time (1,024 at least),
        for a kind whose records come one at a time; a longer list replaces the shorter whole
        and never grows in place, so that documents extracted in threads at once each read a
        list whose every id is right."""
        ids = self.made
        if len(ids) < n:
            ids = self.made = [*ids, *("%s%04d" % (self.prefix, k)  # half an f-string's cost
                                       for k in range(len(ids) + 1, max(n, 2 * len(ids), 1024) + 1))]
        return ids


MENTION_IDS, ITEM_IDS = Ids("m"), Ids("i")


def made(cls: type[R], values: dict, fields_set=None) -> R:
    """The record validation would make of `values`, without validating them again: a stage
    that makes records by the thousand from values already of their types (items, cues,
    mentions) pays more for validation (pydantic copies every list, checks every field) than for
    the rest. `values` are given in the order the record declares its fields and become the
    record's own dict (it must be new); `fields_set` names those set by the caller rather than
    left at their defaults (all of them when None); a `SharedFields` is shared, not copied.
    Tests hold it to validated records."""
    record = _new(cls)
    SET_DICT(record, values)
    SET_EXTRA(record, None)
    SET_FIELDS_SET(record, fields_set if type(fields_set) is SharedFields
                   else set(values if fields_set is None else fields_set))
    SET_PRIVATE(record, None)
    return record


def all_fields(cls: type[Record]) -> SharedFields:
    """Every field of a record, as `made` shares it between records that set them all."""
    return SharedFields(cls.model_fields)


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
    due_date: dt.date | None = Field(
        None, description="the last day a relative deadline falls due, anchor_date + offset "
                          "(反馈后2个月内 after a feedback on 2023-05-22: 2023-07-22); end_date stays "
                          "null for it, as spec §3 defines")
    anchor_date: dt.date | None = Field(
        None, description="date of the anchor event of a relative deadline: the nearest dated "
                          "statement of that event before it (2023年5月22日…反馈), else the manifest's "
                          "feedback_date")
    anchor_source: Literal["text", "manifest"] | None = Field(
        None, description="where anchor_date came from: a date mention of the text, or the manifest")
    anchor_mention_id: str | None = Field(
        None, description="the date mention anchor_date came from (null from the manifest)")
    anchor_rule: str | None = Field(
        None, description="id of the rules/anchors.yaml rule that resolved the anchor (its event: "
                          "anchors.feedback …) or declined to (anchors.undated, .generic: 每轮…, "
                          ".working_days)")
    as_of: dt.date | None = Field(
        None, description="the date a 截至… time states a situation as of (its end_date); null "
                          "for other times and for 截至目前 without a date")
    as_of_rule: str | None = Field(None, description="id of the rules/anchors.yaml cue that made "
                                   "it an as-of date")


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


class Inherited(Record):
    """A responsible body an item does not name: the subject an earlier item of its sentence
    states, carried over."""

    name: str = Field(description="the body's name, as in the item's responsible")
    mention_id: str = Field(description="the body mention, in an earlier item of the same "
                            "sentence, that states it")


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
    responsible: list[str] = Field(default_factory=list, description="names of responsible "
                                   "bodies: those its clauses name, else the subject of an "
                                   "earlier item of its sentence (see inherited)")
    inherited: list[Inherited] = Field(default_factory=list, description="the responsible bodies "
                                       "carried over from an earlier item of the same sentence "
                                       "(never across a sentence or a line), each with the "
                                       "mention it came from; empty when the item names its own")
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


class HomeEvidence(Span):
    """A stretch of the text that shows where a document speaks from (`中共某县委关于…`)."""

    rule_id: str = Field(description="id of the rule that read it (home.title, home.issuer, "
                         "home.paragraph, …; home.manifest: the manifest's region or place)")
    place: str | None = Field(None, description="the division it names, full name of the gazetteer")
    organisation: str | None = Field(None, description="the organisation it names, as written in full")


class Home(Record):
    """Where a document speaks from or about (issue 16): the chain of places from the province
    down, and the organisation that issues it or that it is about. Short names are filled from
    it (`市委` → the home city's), and the document's region follows from its province."""

    province: str | None = Field(None, description="province-level region, full name (`河南省`)")
    city: str | None = Field(None, description="prefecture-level division, full name (`开封市`)")
    county: str | None = Field(
        None, description="county-level division (county, district, county-level city, banner), "
                          "full name (`兰考县`)")
    township: str | None = Field(None, description="township, town or street as written (`石门镇`)")
    place: str | None = Field(
        None, description="the lowest home place as the document writes it in full, without its "
                          "province (`韶关市武江区`, `峨山县石门镇`): what short forms of its level "
                          "are filled with")
    organisation: str | None = Field(
        None, description="the enterprise, university, hospital, bureau or township the document "
                          "is issued by or about, its name filled from the home places "
                          "(`阿荣旗人大常委会机关`)")
    organisation_keys: list[str] = Field(
        default_factory=list, description="the words its short forms are written with (`局` of "
                                          "`局党组`; `集团`, `公司` of a group company)")
    evidence: list[HomeEvidence] = Field(default_factory=list, description="the stretches of "
                                         "text (or the manifest) the home was read from")

    @property
    def places(self) -> tuple[str, ...]:
        """The chain, province first, levels that are known only."""
        return tuple(p for p in (self.province, self.city, self.county, self.township) if p)


class Heading(Span):
    level: int = Field(1, description="1 for 一、, 2 for （一）, 3 for 1., 0 for unnumbered lines")


# ---------------------------------------------------------------- the rectification ledger

NoticeForm = Literal["feedback", "progress", "report", "recheck", "other"]
LEDGER_FIGURES = ("problems", "measures", "done", "ongoing", "rate", "rules", "disciplined", "leads",
                  "new_problems", "measures_done", "measures_ongoing")
EvidenceRole = Literal["stated", "repeat", "summand", "alt_unit", "part", "superseded"]
CheckKind = Literal["sum_mismatch", "rate_mismatch", "overdue", "conflict", "ambiguous", "date_order"]


class Evidence(Span):
    """One quantity mention behind a ledger figure: where it is and what it says."""

    mention_id: str = Field(description="the quantity mention (mentions.jsonl)")
    value: float = Field(description="the mention's value")
    value_max: float | None = Field(None, description="upper bound of a range")
    approx: Approx | None = Field(None, description="more, less, about; null when exact")
    unit: str | None = Field(None, description="the mention's unit, simplified")
    measure: str | None = Field(None, description="the mention's measure (spec §5a)")
    rule_id: str = Field(description="the rule that made the mention (not the ledger's)")
    role: EvidenceRole = Field(
        "stated", description="stated: the figure; repeat: the same value said again (counted "
        "once); summand: one of several figures of one sentence that are added; alt_unit: the "
        "same count in another unit (217人次 beside 213名); part: a 其中 breakdown, never added; "
        "superseded: stated under an earlier 截至 date than the figure kept")


class Figure(Record):
    """One ledger figure (problems, done …) of one body in one document, with its evidence."""

    measure: str = Field(description="the §5a measure: problems.found, rectification.done …")
    value: float | None = Field(description="the agreed value; null when the evidence conflicts")
    approx: Approx | None = Field(None, description="more when every approximate part is 余/多, "
                                  "else about; null when exact")
    unit: str | None = Field(None, description="unit of the stated figure (个 条 人 % …)")
    combine: Literal["single", "repeat", "sum"] = Field(
        description="single: one statement; repeat: one value stated in several sentences, "
        "counted once; sum: the figures of one sentence added (新建制度6项、修订制度9项)")
    conflict: bool = Field(False, description="true when sentences state different values "
                           "(value is then null and values lists them)")
    values: list[float] = Field(default_factory=list, description="the distinct values side by "
                                "side, in text order, when conflict is true")
    evidence: list[Evidence] = Field(description="every mention behind the figure, text order")
    breakdown: list[Evidence] = Field(default_factory=list, description="parts (其中…), not added")
    rule_id: str = Field(description="the ledger rule that combined it (ledger.figure.sum …)")


class BodyRef(Span):
    """The inspected body: the cluster of its mentions, named by its fullest name."""

    name: str = Field(description="the fullest name of the cluster (the notice's title first), "
                      "as the bodies stage normalised it")
    key: str = Field(description="link key: the name without 中共 and its final party organ, "
                     "abbreviations expanded (rules/ledger.yaml); with region it links documents")
    level: Level | None = Field(None, description="level of the anchoring mention, else the "
                                "first known level in the cluster")
    mention_id: str = Field(description="the anchoring mention: the first target of an "
                            "inspection or feedback clause, else the notice's subject")
    mention_ids: list[str] = Field(default_factory=list, description="every mention of the "
                                   "cluster, self-references (局党组, 我局) included")
    rule_id: str = Field(description="why it is an inspected body (ledger.body.target, "
                         "ledger.body.subject)")


class InspectorRef(Span):
    """The inspection group acting on the body."""

    name: str = Field(description="the group's normalised name")
    mention_id: str = Field(description="its body mention")


class DateFact(Record):
    """A date or period of the ledger, from a time mention or from the manifest."""

    start_date: dt.date | None = Field(None, description="first day (a period's start)")
    end_date: dt.date | None = Field(None, description="last day; a point date has both equal")
    source: Literal["text", "manifest"] = Field("text", description="a mention, or the manifest")
    mention_id: str | None = Field(None, description="the time mention (null from the manifest)")
    text: str | None = Field(None, description="original[start:end] of the mention")
    start: int | None = Field(None, description="offset of the mention's first character")
    end: int | None = Field(None, description="offset one past its last character")
    earlier: list[DateFact] = Field(default_factory=list, description="earlier statements of "
                                    "the same event for the body (the first inspection before a "
                                    "回头看), text order")


class Deadline(Span):
    """The completion deadline the body was given, resolved when it counts from a dated event."""

    end_date: dt.date | None = Field(description="the last day (inclusive); null when unresolved")
    mention_id: str = Field(description="the deadline's time mention")
    offset: str | None = Field(None, description="ISO 8601 duration of an anchored deadline (P2M)")
    anchor: str | None = Field(None, description="the anchor event as written (反馈)")
    anchor_date: dt.date | None = Field(None, description="date of the anchor event")
    anchor_source: Literal["text", "manifest"] | None = Field(None, description="where "
                                                               "anchor_date came from")
    anchor_mention_id: str | None = Field(None, description="the date mention of the anchor")
    reason: str | None = Field(None, description="why end_date is null: anchor_undated (the "
                               "event is not dated), anchor_unknown (an event the rules do not "
                               "know), working_days (no holiday calendar)")
    later: list[DateFact] = Field(default_factory=list, description="later completion "
                                  "deadlines of the body (剩余问题年底前整改到位); checks use the first")


class Check(Record):
    """A disagreement the ledger reports and does not fix."""

    check: CheckKind = Field(description="sum_mismatch: done + ongoing ≠ problems (or done > "
                             "problems); rate_mismatch: stated rate off done/problems by more "
                             "than the tolerance; overdue: problems open after the deadline; "
                             "conflict: sentences state different values; ambiguous: a figure "
                             "in a passage shared by several bodies; date_order: feedback after "
                             "the reference date, or an inspection ending after its feedback")
    message: str = Field(description="one line an analyst can read")
    mention_ids: list[str] = Field(description="the mentions the check reads")
    details: dict[str, str | float | int | bool | None | list[float] | list[str]] = Field(
        default_factory=dict, description="the figures compared, by name")


class Links(Record):
    """The record's place in its body's timeline across documents."""

    key: str = Field(description="region|body key: the chain's identity")
    previous: str | None = Field(None, description="record_id of the previous record of the body")
    next: str | None = Field(None, description="record_id of the next record of the body")
    position: int = Field(description="1-based place in the timeline (as_of, else document date)")
    count: int = Field(description="records in the timeline")


class Rectification(Record):
    """One inspected body in one document: what it was told, has fixed, still owes, by when."""

    kind: Literal["rectification"] = Field("rectification", description="the kind of record")
    record_id: str = Field(description="doc_id#n, n the body's order in the document")
    doc_id: str = Field(description="the document's id (documents.jsonl)")
    notice: NoticeForm = Field(description="the document's form, from cues in its headline (else "
                               "its first paragraph): feedback, progress (进展通报), report "
                               "(整改情况报告), recheck (回头看), other")
    document_date: dt.date | None = Field(description="the document's reference date")
    body: BodyRef | None = Field(description="the inspected body; null with a reason")
    reason: Literal["self_reference_only", "generic_only", "no_candidate"] | None = Field(
        None, description="why body is null: the text names it only as 我单位…, only "
        "generically (被巡察单位), or not at all; null when body is set")
    region: str | None = Field(description="province-level region of the body's mention")
    inspector: InspectorRef | None = Field(None, description="the group that inspected or gave "
                                           "the feedback")
    inspection_period: DateFact | None = Field(None, description="the inspection's period")
    feedback_date: DateFact | None = Field(None, description="the feedback's date (the text's, "
                                           "else the manifest's feedback_date)")
    deadline: Deadline | None = Field(None, description="the first completion deadline")
    as_of: DateFact | None = Field(None, description="the 截至 date the figures are stated as of")
    problems: Figure | None = Field(None, description="problems fed back by the inspection")
    measures: Figure | None = Field(None, description="rectification measures set")
    done: Figure | None = Field(None, description="problems rectified")
    ongoing: Figure | None = Field(None, description="problems still being rectified")
    rate: Figure | None = Field(None, description="the stated completion rate, %")
    rules: Figure | None = Field(None, description="rules and systems made or revised")
    disciplined: Figure | None = Field(None, description="people disciplined or dealt with")
    leads: Figure | None = Field(None, description="problem leads transferred")
    new_problems: Figure | None = Field(None, description="problems a 回头看 found anew: a new "
                                        "cycle, never compared with done and ongoing")
    measures_done: Figure | None = Field(None, description="measures or tasks completed "
                                         "(已完成整改措施81条), compared with measures, not problems")
    measures_ongoing: Figure | None = Field(None, description="measures or tasks still under way")
    rate_computed: float | None = Field(None, description="100·done/problems, one decimal, half up")
    mention_ids: list[str] = Field(description="every mention behind the record")
    checks: list[Check] = Field(default_factory=list, description="disagreements found")
    links: Links | None = Field(None, description="the body's timeline across documents; null "
                                "for a record without body and before linking")


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
    home: Home = Field(default_factory=Home, description="where the document speaks from or "
                       "about: its places and organisation, with the text that shows them")
    headings: list[Heading] = Field(default_factory=list, description="section headings")
    mentions: list[AnyMention] = Field(default_factory=list, description="quantities, times and "
                                       "bodies (in mentions.jsonl, not in documents.jsonl)")
    items: list[WorkItem] = Field(default_factory=list, description="work items (in items.jsonl)")
    feedback_date: dt.date | None = Field(None, description="the feedback's date from the "
                                          "manifest column of that name, for anchored deadlines")
    rectifications: list[Rectification] = Field(
        default_factory=list, description="the document's ledger records, before they are linked "
        "across documents (in rectifications.jsonl, not in documents.jsonl)")
    text: str = Field("", description="the decoded text that every offset refers to (in "
                      "texts.jsonl, not in documents.jsonl)")


class DocumentText(Record):
    """A document's decoded text, kept in the output folder so that tables, evidence and the
    report are built from the outputs alone, whether or not the source files are still there."""

    doc_id: str = Field(description="the document's id (documents.jsonl)")
    text: str = Field(description="the text as decoded (and, for PDF and Word, normalised) when "
                      "it was extracted: every record's start and end are offsets into it")


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
    "work_item": WorkItem, "text": DocumentText, "error": ErrorRecord,
    "rectification": Rectification,
}
