"""Headings and region segments (spec §1).

A report speaks for one province-level region, for several (a compilation whose sections each
close with a signature such as `（河北省委）`), or for none (a national report, an editor's note).
Regions are resolved conservatively from explicit evidence only, strongest first: signatures,
the caller's default (manifest), the title lines, a body of one region acting at the top of the
text, and, in a document that speaks for no region, a sentence whose subject is a named region's
body. A province merely mentioned in passing never makes a region: national documents name many.

Place names come from the gazetteer `rules/divisions.tsv` (all province-, prefecture- and
county-level divisions, built by `scripts/build_divisions.py`); what around a name makes it
evidence lives in `rules/regions.yaml`.
"""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.context.boundaries import boundaries
from pipeline.context.places import RANK
from pipeline.context.places import gazetteer as places_gazetteer
from pipeline.context.view import NormalText
from pipeline.records import Heading, RegionSpan
from pipeline.candidates import Candidate, Explained
from pipeline.rules import Example, RuleModel, compile_rule, load_model, trie_alternation

RULES = "regions.yaml"
LINE = re.compile(r"[^\r\n]+")
HAN = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- rule schema

class PatternRule(RuleModel):
    id: str
    pattern: str
    examples: list[Example] = []


class NumberedRule(PatternRule):
    level: int


class HeadingRules(RuleModel):
    max_chars: int
    min_han: int
    final_punct: str
    open_punct: str
    close_punct: str
    no_final_chars: str
    max_commas: int
    boilerplate: list[str]
    numbered: list[NumberedRule]
    not_heading: list[PatternRule]


class RegionRules(RuleModel):
    signature: PatternRule
    signature_body: PatternRule
    signature_other: PatternRule
    editor_note: PatternRule
    dateline: PatternRule
    guarded_lead: PatternRule
    organisation: PatternRule
    section_label: PatternRule
    section_label_tail: PatternRule
    sentence_lead: PatternRule
    actor: PatternRule
    subordinate_actor: PatternRule
    signoff: PatternRule
    signoff_date: PatternRule
    signoff_lines: int
    word_joins: list[str]
    left_word_min_freq: int
    glued_prefixes: list[str]
    opening_chars: int
    opening_share: float


class SectionRules(RuleModel):
    fragments: dict[str, str]
    headings: HeadingRules
    regions: RegionRules


@dataclass(frozen=True)
class Compiled:
    """The rules of `regions.yaml` with every pattern compiled once."""

    h: HeadingRules
    r: RegionRules
    numbered: tuple[tuple[NumberedRule, re.Pattern], ...]
    not_heading: tuple[re.Pattern, ...]
    rx: dict[str, re.Pattern]


@lru_cache(maxsize=1)
def rules() -> Compiled:
    """Load and compile `rules/regions.yaml`; a bad pattern names its rule id."""
    model = load_model(RULES, SectionRules)
    frag = model.fragments

    def comp(rule: PatternRule) -> re.Pattern:
        return compile_rule(RULES, rule.id, rule.pattern, frag)

    r = model.regions
    named = {k: comp(getattr(r, k)) for k in
             ("signature", "signature_body", "editor_note", "dateline", "guarded_lead",
              "organisation", "section_label", "section_label_tail", "sentence_lead", "actor",
              "subordinate_actor", "signoff", "signoff_date", "signature_other")}
    return Compiled(
        h=model.headings, r=r,
        numbered=tuple((n, comp(n)) for n in model.headings.numbered),
        not_heading=tuple(comp(n) for n in model.headings.not_heading), rx=named)


# ---------------------------------------------------------------- gazetteer

@dataclass(frozen=True)
class Form:
    """A written form of a division: its full name or a short name (`河北`, `宜城`)."""

    text: str
    provinces: frozenset[str]
    level: str  # provincial | municipal | county: the highest level the form names
    short: bool
    # When the form counts: "" always; "actor" only as an acting body (`海东纪委`, not
    # `延安精神`); "lead" only as an acting body opening a line or after 中共 (`和县委…`, not
    # `省市和县委书记`): two-character county names are ordinary words elsewhere.
    guard: str = ""

    @property
    def province(self) -> str | None:
        """The province the form names, None when it repeats across provinces (`朝阳区`)."""
        return next(iter(self.provinces)) if len(self.provinces) == 1 else None


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Form]:
    """Every form the resolver matches, from the divisions gazetteer (`context.places`).

    Full names of every level are kept; county names of two characters (`和县` `城区`) only
    under guard. Short names are kept for provinces, and for prefectures under guard; a
    prefecture short name equal to a province's (`吉林`, `海南`) gives way.
    """
    forms: dict[str, list] = {}

    def add(text: str, prov: str, level: str, short: bool, guard: str = "") -> None:
        entry = forms.setdefault(text, [set(), level, short, guard])
        entry[0].add(prov)
        if RANK[level] < RANK[entry[1]]:
            entry[1] = level

    divisions = places_gazetteer().by_level()
    for p in divisions:
        if p.level != "county" or len(p.name) >= 3:
            add(p.name, p.province, p.level, False)
    for p in divisions:
        if p.level == "county" and len(p.name) < 3 and (p.name not in forms or forms[p.name][3]):
            add(p.name, p.province, p.level, False, "lead")
    for p in divisions:
        for s in p.shorts:
            if p.level == "provincial":
                add(s, p.province, p.level, True)
            elif p.level == "municipal" and (s not in forms or forms[s][3]):
                add(s, p.province, p.level, True, "actor")
    return {t: Form(t, frozenset(p), lvl, short, guard)
            for t, (p, lvl, short, guard) in forms.items()}


@lru_cache(maxsize=1)
def place_regex() -> re.Pattern:
    return re.compile(trie_alternation(gazetteer()))


@dataclass(frozen=True)
class Place:
    """A place name found in the text, and whether it is named as an acting body."""

    start: int
    end: int
    form: Form
    actor: bool

    @property
    def province(self) -> str | None:
        return self.form.province


def places(view: str, start: int = 0, end: int | None = None) -> list[Place]:
    """Place names in `view[start:end]` that can be evidence (see `judge`)."""
    return [p for _, p, _ in candidates(view, start, end) if p]


def candidates(view: str, start: int = 0, end: int | None = None):
    """(match, place or None, id of the filter that dropped it or "") for every gazetteer name
    in `view[start:end]`, scanning left to right; a name cut off by a glued prefix (`中共和县`)
    is tried again one character on."""
    end = len(view) if end is None else end
    rx, pos = place_regex(), start
    while (m := rx.search(view, pos, end)) is not None:
        if glued(view, m.start()):
            yield m, None, GLUED_PREFIXES
            pos = m.start() + 1
            continue
        place, dropped = judge(view, m)
        yield m, place, dropped
        pos = m.end()


def glued(view: str, pos: int) -> bool:
    """The name would start inside a word such as 中共 (`中共和县委` is 和县, not 共和县)."""
    return any(view.startswith(w, pos - len(w) + 1) for w in glued_prefixes()
               if pos >= len(w) - 1)


@lru_cache(maxsize=1)
def glued_prefixes() -> tuple[str, ...]:
    return tuple(rules().r.glued_prefixes)


@lru_cache(maxsize=1)
def first_pairs() -> frozenset[str]:
    """The first two characters of every place name: a cheap test before the big regex."""
    return frozenset(t[:2] for t in gazetteer())


def place_at(view: str, pos: int) -> Place | None:
    """The place name starting exactly at `pos` (or just after 中共), if it can be evidence."""
    for w in glued_prefixes():
        if view.startswith(w, pos):
            pos += len(w)
            break
    if view[pos: pos + 2] not in first_pairs():
        return None
    if glued(view, pos):
        return place_at(view, pos + 1)
    m = place_regex().match(view, pos)
    return place_from(view, m) if m else None


def place_from(view: str, m: re.Match) -> Place | None:
    """A matched name as evidence, or None (see `judge`)."""
    return judge(view, m)[0]


# Filters kept as plain word lists in `regions.yaml`, named by their key there.
WORD_JOINS = "region.word_joins"
GLUED_PREFIXES = "region.glued_prefixes"
LEFT_WORDS = "region.left_word_min_freq"


def starts_in_word(view: str, pos: int) -> bool:
    """The name's first character closes a common word (`沿海城市`, `适应城市`, `扩大社区`),
    unless the character before it belongs to a word on its left (`目前海东市`)."""
    pairs = common_pairs()
    return pos > 0 and view[pos - 1: pos + 1] in pairs and view[max(0, pos - 2): pos] not in pairs


@lru_cache(maxsize=1)
def common_pairs() -> frozenset[str]:
    """Two-character words of jieba's own dictionary at least `left_word_min_freq` common.

    A general lexicon, read once (about 0.3 s); jieba's frequencies rank 沿海 or 适应 (thousands)
    far above rare entries such as 前海 (10). Empty when jieba is not installed.
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return frozenset()
    text = (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8")
    least = rules().r.left_word_min_freq
    return frozenset(w for w, f in re.findall(r"^(\S\S) (\d+)", text, re.M) if int(f) >= least)


def judge(view: str, m: re.Match) -> tuple[Place | None, str]:
    """A matched name as evidence, or None with the id of the filter that dropped it.

    Dropped: a full name glued to the next character into a common word (`东方市场`), a city or
    county name whose first character closes a common word (`沿海城市`), a place
    in a dateline (`成都6月2日电`) or at the head of an organisation's name (`吉林大学`), and a
    guarded name that is not an actor (`延安精神` is no evidence; `海东市委` is) or, for a
    two-character county, not at the head of a line (`各市和县委书记`). A province acts also
    through a body of a place below it that the gazetteer lacks (`江西省某某市纪委监委`): towns
    and new counties are not listed, but the province prefix is evidence enough.
    """
    c = rules()
    form = gazetteer()[m.group()]
    after = view[m.end(): m.end() + 24]
    if not form.short and (form.text[-1] + after[:1]) in c.r.word_joins:
        return None, WORD_JOINS
    if not form.short and form.level != "provincial" and starts_in_word(view, m.start()):
        return None, LEFT_WORDS
    for key in ("dateline", "organisation"):
        if c.rx[key].match(after):
            return None, getattr(c.r, key).id
    actor = bool(c.rx["actor"].match(after)) or (
        form.level == "provincial" and bool(c.rx["subordinate_actor"].match(after)))
    if form.guard and not actor:
        return None, c.r.actor.id
    before = view[max(0, m.start() - 4): m.start()]
    if form.guard == "lead" and before and not c.rx["guarded_lead"].search(before):
        return None, c.r.guarded_lead.id
    return Place(m.start(), m.end(), form, actor), ""


def province_of(name: str) -> str | None:
    """The province a division name (`宜城市`, `河北`, `延边朝鲜族自治州`) belongs to, if one."""
    form = gazetteer().get(name)
    return form.province if form else None


# ---------------------------------------------------------------- headings

def headings(nt: NormalText) -> list[Heading]:
    """Heading lines: numbered (一、 （二） 1.) or short lines without final punctuation."""
    out, prev = [], ""
    for m in LINE.finditer(nt.view):
        line = m.group()
        stripped = line.strip()
        if stripped:
            span = heading_span(stripped, prev)
            if span:
                lead = m.start() + line.index(stripped)
                s, e, level = lead + span[0], lead + span[1], span[2]
                out.append(Heading(start=s, end=e, text=nt.original[s:e], level=level))
            prev = stripped
    return out


def heading_span(line: str, prev: str) -> tuple[int, int, int] | None:
    """(start, end, level) of the heading in a stripped view line, or None."""
    c = rules()
    for rule, rx in c.numbered:
        if rx.match(line):
            return 0, numbered_end(line), rule.level
    return (0, len(line), 0) if is_short_heading(line, prev) else None


def numbered_end(line: str) -> int:
    """A numbered heading runs to its first sentence break; a run-on one to its first comma."""
    h = rules().h
    ends = boundaries().chars["heading"]
    cut = next((i for i, ch in enumerate(line) if ch in ends), len(line))
    if cut > 2 * h.max_chars:
        cut = next((i for i, ch in enumerate(line[:cut]) if ch in ",，"), cut)
    return len(line[:cut].rstrip())


def is_short_heading(line: str, prev: str) -> bool:
    """A short line that does not end as a sentence and is not page furniture or a byline."""
    c = rules()
    h = c.h
    if len(line) > h.max_chars or not looks_whole(line):
        return False
    if len(HAN.findall(line)) < h.min_han or line in h.boilerplate:
        return False
    if prev and (prev[-1] in h.open_punct or (len(prev) > h.max_chars
                                               and prev[-1] not in h.final_punct + "”\"』」")):
        return False
    return not any(rx.search(line) for rx in c.not_heading)


def looks_whole(line: str) -> bool:
    """Not a sentence, nor a piece of one broken across lines."""
    h = rules().h
    if line[0] in h.close_punct or line[0] in h.open_punct:
        return False
    if line[-1] in h.final_punct + h.open_punct + h.no_final_chars:
        return False
    if any(ch in boundaries().chars["statement"] for ch in line):
        return False
    return sum(line.count(ch) for ch in ",，、") <= h.max_commas


# ---------------------------------------------------------------- regions

def regions(nt: NormalText, default: str | None = None) -> list[RegionSpan]:
    """Region segments of the text; `default` (from the manifest or the caller) covers the rest.

    Signatures make a compilation's segments (the default fills what they leave); else the
    default covers the whole text; else section labels naming two regions or more make the
    segments; else the whole text takes the region its title or its opening names; else only
    passages led by a named region's body get one.
    """
    view = nt.view
    signed = signature_segments(view)
    if signed:
        return fill_gaps(signed, default, view)
    if default:
        return [RegionSpan(region=default, start=0, end=len(view), rule_id="region.default")]
    labelled = label_segments(view)
    if labelled:
        return labelled
    whole = document_region(view)
    if whole:
        return [whole]
    return sentence_segments(view)


def fill_gaps(spans: list[RegionSpan], default: str | None, view: str) -> list[RegionSpan]:
    """The default covers what no signature claims (an editor's note keeps None without one)."""
    if not default:
        return spans
    out, pos = [], 0
    for s in [*spans, RegionSpan(region="", start=len(view), end=len(view))]:
        if view[pos:s.start].strip():
            out.append(RegionSpan(region=default, start=pos, end=s.start, rule_id="region.default"))
        if s.region:
            out.append(s)
        pos = s.end
    return out


def signature_segments(view: str) -> list[RegionSpan]:
    """One segment per closing signature, from the end of the previous one (or of the editor's
    note) to the signature's closing parenthesis. A signature of a body of no one region
    (`(某某集团党委)`, `(朝阳区委)`) closes its section too, which then gets none."""
    sigs = list(closing(view, signatures(view)))
    provinces = {prov for _, _, prov in sigs if prov}
    if not provinces:
        return []
    labels = list(section_labels(view))
    out, start = [], preamble_end(view, sigs[0][0], provinces, labels)
    for sig_start, sig_end, province in sigs:
        if sig_start > start and province:
            out += split_at_labels(RegionSpan(region=province, start=start, end=sig_end,
                                              rule_id="region.signature"), labels)
        start = skip_space(view, sig_end)
    return out


def split_at_labels(span: RegionSpan, labels: list[tuple[int, str]]) -> list[RegionSpan]:
    """A section that lost its signature but opens with a label naming its region (`【吉林】`
    before `【青海】…(青海省委)`) is that region's, not the next signature's; the signature's
    region keeps the last labelled part, which it closes, and any text before the first label."""
    pieces, cur_start, cur_region = [], span.start, span.region
    for pos, prov in labels:
        if span.start <= pos < span.end:
            if pos > cur_start:
                pieces.append((cur_start, pos, cur_region))
            cur_start, cur_region = pos, prov
    pieces.append((cur_start, span.end, span.region))
    if len({region for _, _, region in pieces}) == 1:
        return [span]
    out: list[RegionSpan] = []
    for start, end, region in pieces:
        if out and out[-1].region == region:
            out[-1] = out[-1].model_copy(update={"end": end})
        else:
            rule = span.rule_id if region == span.region else "region.heading"
            out.append(RegionSpan(region=region, start=start, end=end, rule_id=rule))
    return out


def closing(view: str, sigs):
    """The signatures that close a section: a finished sentence stands between each and the one
    before. A source line under the title (`(某某省某某县委巡察办供稿)`) closes nothing."""
    prev, finished = 0, boundaries().chars["finished"]
    for sig in sigs:
        if any(ch in finished for ch in view[prev:sig[0]]):
            yield sig
            prev = sig[1]


def label_segments(view: str) -> list[RegionSpan]:
    """Segments opened by lines labelled with a region (`河北省:`), when two regions or more are
    labelled; each runs to the next label of another region."""
    labels = list(section_labels(view))
    if len({prov for _, prov in labels}) < 2:
        return []
    out: list[RegionSpan] = []
    for (start, prov), (nxt, _) in zip(labels, [*labels[1:], (len(view), "")]):
        end = len(view[:nxt].rstrip())
        if out and out[-1].region == prov:
            out[-1] = out[-1].model_copy(update={"end": end})
        else:
            out.append(RegionSpan(region=prov, start=start, end=end, rule_id="region.heading"))
    return out


def section_labels(view: str):
    """(line start, province) of each line that opens with a region label: the place followed by
    a colon or bracket (`河北省:`, `【吉林】`), or acting in a heading (`河北省委压实主体责任`)."""
    tail = rules().rx["section_label_tail"]
    for m in labelled_line().finditer(view):
        p = place_at(view, m.end())
        if not (p and p.province):
            continue
        line_end = view.find("\n", p.end)
        line_end = len(view) if line_end < 0 else line_end
        start = skip_space(view, m.start())
        heading = p.actor and is_short_heading(view[start:line_end].strip(), prev_line(view, start))
        if heading or tail.match(view[p.end: line_end]):
            yield start, p.province


def prev_line(view: str, pos: int) -> str:
    """The last non-blank line before `pos`, stripped."""
    for line in reversed(view[max(0, pos - 400): pos].splitlines()):
        if line.strip():
            return line.strip()
    return ""


def signatures(view: str):
    """(start, end, province or None) of each closing signature naming a body: one region's
    (`(河北省委)`, `(中共吉林省委巡视办)`), or one of no single region (`(某某集团党组)`)."""
    c = rules()
    for line in LINE.finditer(view):
        if not line.group().rstrip().endswith(")"):
            continue
        m = c.rx["signature"].search(line.group())
        if not m:
            continue
        sig_start, sig_end = line.start() + m.start("sig"), line.start() + m.end("sig")
        p = place_at(view, sig_start)  # the body's place heads it, perhaps after 中共
        if p and p.end < sig_end and c.rx["signature_body"].match(view[p.end: sig_end]):
            yield sig_start - 1, sig_end + 1, p.province
        elif c.rx["signature_other"].search(m.group("sig")):
            yield sig_start - 1, sig_end + 1, None


def preamble_end(view: str, limit: int, provinces: set[str],
                 labels: list[tuple[int, str]]) -> int:
    """Where the first section starts: after an editor's note, if one comes before `limit`, else
    at the first section label (`【河北】…`: the compilation's title above it speaks for no
    region), else after an unlabelled introduction (see `intro_end`)."""
    rx = rules().rx["editor_note"]
    for line in LINE.finditer(view, 0, limit):
        if rx.match(line.group()):
            return skip_space(view, line.end())
    first_label = next((pos for pos, _ in labels if pos < limit), None)
    return first_label if first_label is not None else intro_end(view, limit, provinces)


def intro_end(view: str, limit: int, provinces: set[str]) -> int:
    """The end of the first paragraph of running text when it names two or more of the regions
    the signatures speak for: it introduces the compilation (`现将甲、乙两地做法摘编如下`)."""
    for line in LINE.finditer(view, 0, limit):
        text = line.group().strip()
        if not text or is_short_heading(text, ""):
            continue
        named = {p.province for p in places(view, line.start(), line.end())} & provinces
        return skip_space(view, line.end()) if len(named) >= 2 else 0
    return 0


def skip_space(view: str, pos: int) -> int:
    while pos < len(view) and view[pos].isspace():
        pos += 1
    return pos


def document_region(view: str) -> RegionSpan | None:
    """The one region a whole document speaks for, from its title lines, its issuer's sign-off
    or its opening, in that order."""
    head_end = title_end(view)
    r = rules().r
    for rule, find in (
            ("region.title", lambda: single_province(title_places(view, head_end))),
            (r.signoff.id, lambda: signoff_province(view)),
            ("region.body", lambda: dominant_actor(
                places(view, head_end, head_end + r.opening_chars)))):
        province = find()
        if province:
            return RegionSpan(region=province, start=0, end=len(view), rule_id=rule)
    return None


def signoff_province(view: str) -> str | None:
    """The province of the issuer signing at the foot of the text (`中共某某县委办公室` above a
    date): the last lines that are neither blank nor a date must each be one acting body's name,
    and all of one province."""
    c = rules()
    found = []
    for line in reversed(list(LINE.finditer(view, max(0, len(view) - 200)))):
        text = line.group().strip()
        if not text or c.rx["signoff_date"].match(text):
            continue
        if len(found) == c.r.signoff_lines or not c.rx["signoff"].match(text):
            break
        p = place_at(view, line.start() + line.group().index(text))
        if not (p and p.actor):
            break
        found.append(p)
    return single_province(found)


def title_end(view: str, max_lines: int = 12) -> int:
    """End of the title lines: the lines before the first paragraph of running text.

    Page furniture (`【字号：`, `下载`, `您的位置:`) and salutations (`各位代表:`) are too short
    to be running text, and do not count towards `max_lines`; a numbered heading starts the body.
    """
    h = rules().h
    end = counted = 0
    for m in LINE.finditer(view):
        line = m.group().strip()
        han = len(HAN.findall(line))
        if len(line) > h.max_chars or (line and line[-1] in h.final_punct and han > 2 * h.min_han):
            break
        if any(rx.match(line) for _, rx in rules().numbered):
            break
        counted += han >= h.min_han
        if counted > max_lines:
            break
        end = m.end()
    return end


def title_places(view: str, end: int) -> list[Place]:
    """Places in the title lines, leaving out source and byline lines (`来源: 某某日报`)."""
    meta = rules().not_heading
    out = []
    for m in LINE.finditer(view, 0, end):
        if not any(rx.search(m.group().strip()) for rx in meta):
            out += places(view, m.start(), m.end())
    return out


def single_province(found: list[Place]) -> str | None:
    """The one province every place can name: `朝阳区` (Beijing or Changchun) beside `长春市`
    is Jilin's; two different provinces, or an ambiguous name alone, give None."""
    common = None
    for p in found:
        common = set(p.form.provinces) if common is None else common & p.form.provinces
    return common.pop() if common and len(common) == 1 else None


def dominant_actor(found: list[Place]) -> str | None:
    """The province whose bodies act in the opening, if it also dominates the places named."""
    actors = {p.province for p in found if p.actor and p.province}
    if len(actors) != 1:
        return None
    province = actors.pop()
    named = [p.province for p in found if p.province]
    share = named.count(province) / len(named)
    return province if share >= rules().r.opening_share else None




@lru_cache(maxsize=1)
def sentence_lead() -> re.Pattern:
    """A sentence start and its connective; a place name is then looked for at its end.

    (Putting the place regex in a lookahead here would be tidier but is 20 times slower.)
    """
    start = f"(?:^|(?<=[{re.escape(boundaries().chars['statement'])}]))[ \t\u3000]*"
    return re.compile(f"{start}(?:{rules().rx['sentence_lead'].pattern})", re.M)


@lru_cache(maxsize=1)
def labelled_line() -> re.Pattern:
    """A line opening with a section number or bracket, perhaps nothing more."""
    return re.compile(rules().rx["section_label"].pattern, re.M)


def sentence_segments(view: str) -> list[RegionSpan]:
    """Passages led by a sentence whose subject is one region's body (`此外,安徽省的党委…`).

    A passage runs to the end of its paragraph, or to the next sentence that names another
    region. Only sentence starts are looked at, which keeps this cheap on long national texts.
    """
    out: list[RegionSpan] = []
    skipped = (-1, -1)  # the last stretch of spaces skipped: lines of blanks are crossed once
    for m in sentence_lead().finditer(view):
        if not skipped[0] <= m.start() <= skipped[1]:
            skipped = (m.start(), skip_space(view, m.start()))
        start = skipped[1]
        if out and start < out[-1].end:
            continue
        p = place_at(view, m.end())
        if not (p and p.actor and p.province):
            continue
        end = passage_end(view, p.end, p.province)
        if end > p.end:
            out.append(RegionSpan(region=p.province, start=start, end=end,
                                  rule_id="region.sentence"))
    return out


def sentence_start(view: str, pos: int) -> int:
    ends = boundaries().chars["passage"]
    while pos > 0 and view[pos - 1] not in ends:
        pos -= 1
    return pos


def passage_end(view: str, pos: int, province: str) -> int:
    """End of the paragraph, or the start of the first later sentence naming another region."""
    para_end = len(view)
    for i in (view.find("\n", pos), view.find("\r", pos)):
        if i != -1:
            para_end = min(para_end, i)
    for p in places(view, pos, para_end):
        if p.province and p.province != province:
            return sentence_start(view, p.start)
    return para_end


# ---------------------------------------------------------------- debugging

def explain(nt: NormalText, default: str | None = None) -> list[dict]:
    """Every place name the gazetteer finds, with what became of it and its segment's region.

    A dropped name gives the id of the filter that dropped it (`region.not.dateline`, …); a kept
    one whether it acts (only acting names lead sentences or make body evidence) and the
    provinces it can name (two or more: ambiguous, evidence only beside other names).
    """
    spans, rows = regions(nt, default), []
    for m, place, dropped in candidates(nt.view):
        form = gazetteer()[m.group()]
        status = f"dropped: {dropped}" if dropped else \
            "kept: actor" if place.actor else "kept: named"
        span = next((s for s in spans if s.start <= m.start() < s.end), None)
        rows.append({"text": nt.span(m.start(), m.end()), "start": m.start(), "end": m.end(),
                     "provinces": sorted(form.provinces), "level": form.level,
                     "status": status, "region": span.region if span else None,
                     "segment_rule": span.rule_id if span else None})
    return rows


# ---------------------------------------------------------------- look-ups

def region_at(spans: list[RegionSpan], offset: int) -> str | None:
    """The region of the segment holding `offset`, or None."""
    for s in spans:
        if s.start <= offset < s.end:
            return s.region
    return None


def heading_at(heads: list[Heading], offset: int) -> Heading | None:
    """The last heading that starts before `offset`: the section an item sits in."""
    found = None
    for h in heads:
        if h.start > offset:
            break
        found = h
    return found


# ---------------------------------------------------------------- the rule file's examples

class SectionPatterns:
    """The patterns of `rules/regions.yaml` as one owner of examples: each example is a piece
    of text its pattern is searched in (tests/test_rule_examples.py)."""

    rules_file = RULES

    def __init__(self):
        c = rules()
        self.patterns = [(rule, rx) for rule, rx in c.numbered]
        self.patterns += [(rx_rule, c.not_heading[k]) for k, rx_rule in enumerate(c.h.not_heading)]
        self.patterns += [(getattr(c.r, name), rx) for name, rx in c.rx.items()]

    def examples(self):
        for rule, _ in self.patterns:
            yield from ((rule.id, ex) for ex in rule.examples)

    def rule_ids(self) -> list[str]:
        return [rule.id for rule, _ in self.patterns]

    def explain(self, ctx) -> list[Explained]:
        """Every match of every pattern in the context's view."""
        return [Explained(Candidate(m.start(), m.end(), rule))
                for rule, rx in self.patterns for m in rx.finditer(ctx.view)]

