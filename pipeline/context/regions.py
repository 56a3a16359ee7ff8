"""Region segments (spec §1): which province-level region each stretch of a text speaks for.

A report speaks for one province-level region, for several (a compilation whose sections each
close with a signature such as `（河北省委）`), or for none (a national report, an editor's note).
Regions are resolved conservatively from explicit evidence only, strongest first: signatures,
the caller's default (manifest), section labels, the document's home (`pipeline.context.home`:
its title, dateline, sign-off and opening, read with this stage's judgement of place names), in
a central document the passages about one province's committee, and, in a document that speaks
for no region, a sentence whose subject is a named region's body. A province merely mentioned
in passing never makes a region: national documents name many.

Place names come from the gazetteer `rules/divisions.tsv` (all province-, prefecture- and
county-level divisions, built by `scripts/build_divisions.py`); what around a name makes it
evidence lives in `rules/regions.yaml`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from pipeline.context.headings import LINE, Headings
from pipeline.context.home import Homes
from pipeline.context.lexicon import lexicon
from pipeline.context.places import RANK
from pipeline.context.places import gazetteer as places_gazetteer
from pipeline.context.view import NormalText
from pipeline.records import Home, RegionSpan
from pipeline.regexes import regex
from pipeline.rules import trie_alternation

LINE_CLOSE = re.compile(r"\)[^\S\r\n]*(?=[\r\n]|\Z)")  # a `)` ending a line, trailing spaces after it

# Filters kept as plain word lists in `regions.yaml`, named by their key there.
WORD_JOINS = "region.word_joins"
GLUED_PREFIXES = "region.glued_prefixes"
LEFT_WORDS = "region.left_word_min_freq"


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


@dataclass(frozen=True)
class NamedPlace:
    """A place name found in the text, and whether it is named as an acting body."""

    start: int
    end: int
    form: Form
    actor: bool

    @property
    def province(self) -> str | None:
        return self.form.province


class Regions:
    """The region segments of a document and the place evidence they rest on (`regions` of
    rules/regions.yaml and the divisions gazetteer), built once."""

    def __init__(self, headings: Headings | None = None):
        self.headings = headings or Headings()
        self.r, self.b = self.headings.r, self.headings.b
        self.homes = Homes(self)

    def home(self, nt: NormalText, meta: dict | None = None) -> Home:
        """Where the text speaks from (`pipeline.context.home`), read with this stage's places."""
        return self.homes.home(nt, meta)

    @cached_property
    def gazetteer(self) -> dict[str, Form]:
        """Every form the resolver matches, from the divisions gazetteer (`context.places`).

        Full names of every level are kept, and the derived forms of autonomous units (`峨山县`);
        county names of two characters (`和县` `城区`) only under guard. Short names are kept for provinces, and for prefectures under guard; a
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
            for name in p.names:
                if p.level != "county" or len(name) >= 3:
                    add(name, p.province, p.level, False)
        for p in divisions:
            for name in p.names:
                if p.level == "county" and len(name) < 3 and (name not in forms or forms[name][3]):
                    add(name, p.province, p.level, False, "lead")
        for p in divisions:
            for s in p.shorts:
                if p.level == "provincial":
                    add(s, p.province, p.level, True)
                elif p.level == "municipal" and (s not in forms or forms[s][3]):
                    add(s, p.province, p.level, True, "actor")
        return {t: Form(t, frozenset(p), lvl, short, guard)
                for t, (p, lvl, short, guard) in forms.items()}

    @cached_property
    def names(self) -> NameFinder:
        """The gazetteer's forms, found in a text as their tree regex finds them."""
        return NameFinder(self.gazetteer)

    def places(self, view: str, start: int = 0, end: int | None = None) -> list[NamedPlace]:
        """Place names in `view[start:end]` that can be evidence (see `judge`)."""
        return [p for _, p, _ in self.candidates(view, start, end) if p]

    def candidates(self, view: str, start: int = 0, end: int | None = None):
        """(match, place or None, id of the filter that dropped it or "") for every gazetteer name
        in `view[start:end]`, scanning left to right; a name cut off by a glued prefix (`中共和县`)
        is tried again one character on."""
        end = len(view) if end is None else end
        find, pos = self.names.search, start
        while (m := find(view, pos, end)) is not None:
            if self.glued(view, m.start()):
                yield m, None, GLUED_PREFIXES
                pos = m.start() + 1
                continue
            place, dropped = self.judge(view, m)
            yield m, place, dropped
            pos = m.end()

    def glued(self, view: str, pos: int) -> bool:
        """The name would start inside a word such as 中共 (`中共和县委` is 和县, not 共和县)."""
        return any(view.startswith(w, pos - len(w) + 1) for w in self.glued_prefixes
                   if pos >= len(w) - 1)

    @cached_property
    def glued_prefixes(self) -> tuple[str, ...]:
        return tuple(self.r.r.glued_prefixes)

    @cached_property
    def first_pairs(self) -> frozenset[str]:
        """The first two characters of every place name: a cheap test before the names' regex."""
        return frozenset(t[:2] for t in self.gazetteer)

    def place_at(self, view: str, pos: int) -> NamedPlace | None:
        """The place name starting exactly at `pos` (or just after 中共), if it can be evidence."""
        for w in self.glued_prefixes:
            if view.startswith(w, pos):
                pos += len(w)
                break
        if view[pos: pos + 2] not in self.first_pairs:
            return None
        if self.glued(view, pos):
            return self.place_at(view, pos + 1)
        m = self.names.heads[view[pos]].match(view, pos)
        return self.place_from(view, m) if m else None

    def place_from(self, view: str, m: re.Match) -> NamedPlace | None:
        """A matched name as evidence, or None (see `judge`)."""
        return self.judge(view, m)[0]

    def starts_in_word(self, view: str, pos: int) -> bool:
        """The name's first character closes a common word (`沿海城市`, `适应城市`, `扩大社区`),
        unless the character before it belongs to a word on its left (`目前海东市`)."""
        common = self.common_pair
        return pos > 0 and common(view[pos - 1: pos + 1]) and not common(view[max(0, pos - 2): pos])

    def common_pair(self, pair: str) -> bool:
        """A two-character word of jieba's own dictionary (not the domain one) at least
        `left_word_min_freq` common: jieba's frequencies rank 沿海 or 适应 (thousands) far above
        rare entries such as 前海 (10)."""
        return len(pair) == 2 and (lexicon().main_freq(pair) or 0) >= self.r.r.left_word_min_freq

    def judge(self, view: str, m: re.Match) -> tuple[NamedPlace | None, str]:
        """A matched name as evidence, or None with the id of the filter that dropped it.

        Dropped: a full name glued to the next character into a common word (`东方市场`), a city or
        county name whose first character closes a common word (`沿海城市`), a place
        in a dateline (`成都6月2日电`) or at the head of an organisation's name (`吉林大学`), and a
        guarded name that is not an actor (`延安精神` is no evidence; `海东市委` is) or, for a
        two-character county, not at the head of a line (`各市和县委书记`). A province acts also
        through a body of a place below it that the gazetteer lacks (`江西省某某市纪委监委`): towns
        and new counties are not listed, but the province prefix is evidence enough.
        """
        c = self.r
        form = self.gazetteer[m.group()]
        after = view[m.end(): m.end() + 24]
        if not form.short and (form.text[-1] + after[:1]) in c.r.word_joins:
            return None, WORD_JOINS
        if not form.short and form.level != "provincial" and self.starts_in_word(view, m.start()):
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
        return NamedPlace(m.start(), m.end(), form, actor), ""

    def province_of(self, name: str) -> str | None:
        """The province a division name (`宜城市`, `河北`, `延边朝鲜族自治州`) belongs to, if one."""
        form = self.gazetteer.get(name)
        return form.province if form else None

    def regions(self, nt: NormalText, default: str | None = None,
                home: Home | None = None) -> list[RegionSpan]:
        """Region segments of the text; `default` (from the manifest or the caller) covers the rest.

        Signatures make a compilation's segments (the default fills what they leave); else the
        default covers the whole text; else section labels naming two regions or more make the
        segments; else the whole text takes its home's province (`home`, found here when not
        given); else, in a central document, the passages about one province's committee
        (`向某省委提出`); else only passages led by a named region's body get one.
        """
        view = nt.view
        signed = self.signature_segments(view)
        if signed:
            return fill_gaps(signed, default, view)
        if default:
            return [RegionSpan(region=default, start=0, end=len(view), rule_id="region.default")]
        labelled = self.label_segments(view)
        if labelled:
            return labelled
        home = home if home is not None else self.home(nt)
        if home.province:
            rule = next(e.rule_id for e in home.evidence if e.place)
            return [RegionSpan(region=home.province, start=0, end=len(view), rule_id=rule)]
        return self.target_segments(view) or self.sentence_segments(view)

    def signature_segments(self, view: str) -> list[RegionSpan]:
        """One segment per closing signature, from the end of the previous one (or of the editor's
        note) to the signature's closing parenthesis. A signature of a body of no one region
        (`(某某集团党委)`, `(朝阳区委)`) closes its section too, which then gets none."""
        sigs = list(self.closing(view, self.signatures(view)))
        provinces = {prov for _, _, prov in sigs if prov}
        if not provinces:
            return []
        labels = list(self.section_labels(view))
        out, start = [], self.preamble_end(view, sigs[0][0], provinces, labels)
        for sig_start, sig_end, province in sigs:
            if sig_start > start and province:
                out += split_at_labels(RegionSpan(region=province, start=start, end=sig_end,
                                                  rule_id="region.signature"), labels)
            start = skip_space(view, sig_end)
        return out

    def closing(self, view: str, sigs):
        """The signatures that close a section: a finished sentence stands between each and the one
        before. A source line under the title (`(某某省某某县委巡察办供稿)`) closes nothing."""
        prev, finished = 0, self.b.chars["finished"]
        for sig in sigs:
            if any(ch in finished for ch in view[prev:sig[0]]):
                yield sig
                prev = sig[1]

    def label_segments(self, view: str) -> list[RegionSpan]:
        """Segments opened by lines labelled with a region (`河北省:`), when two regions or more are
        labelled; each runs to the next label of another region."""
        labels = list(self.section_labels(view))
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

    def section_labels(self, view: str):
        """(line start, province) of each line that opens with a region label: the place followed by
        a colon or bracket (`河北省:`, `【吉林】`), or acting in a heading (`河北省委压实主体责任`)."""
        tail = self.r.rx["section_label_tail"]
        for m in self.labelled_line.finditer(view):
            p = self.place_at(view, m.end())
            if not (p and p.province):
                continue
            line_end = view.find("\n", p.end)
            line_end = len(view) if line_end < 0 else line_end
            start = skip_space(view, m.start())
            heading = p.actor and self.headings.is_short_heading(view[start:line_end].strip(), prev_line(view, start))
            if heading or tail.match(view[p.end: line_end]):
                yield start, p.province

    def signatures(self, view: str):
        """(start, end, province or None) of each closing signature naming a body: one region's
        (`(河北省委)`, `(中共吉林省委巡视办)`), or one of no single region (`(某某集团党组)`)."""
        c = self.r
        for start, line in closed_lines(view):
            m = c.rx["signature"].search(line)
            if not m:
                continue
            sig_start, sig_end = start + m.start("sig"), start + m.end("sig")
            p = self.place_at(view, sig_start)  # the body's place heads it, perhaps after 中共
            if p and p.end < sig_end and c.rx["signature_body"].match(view[p.end: sig_end]):
                yield sig_start - 1, sig_end + 1, p.province
            elif c.rx["signature_other"].search(m.group("sig")):
                yield sig_start - 1, sig_end + 1, None

    def preamble_end(self, view: str, limit: int, provinces: set[str],
                     labels: list[tuple[int, str]]) -> int:
        """Where the first section starts: after an editor's note, if one comes before `limit`, else
        at the first section label (`【河北】…`: the compilation's title above it speaks for no
        region), else after an unlabelled introduction (see `intro_end`)."""
        rx = self.r.rx["editor_note"]
        for line in LINE.finditer(view, 0, limit):
            if rx.match(line.group()):
                return skip_space(view, line.end())
        first_label = next((pos for pos, _ in labels if pos < limit), None)
        return first_label if first_label is not None else self.intro_end(view, limit, provinces)

    def intro_end(self, view: str, limit: int, provinces: set[str]) -> int:
        """The end of the first paragraph of running text when it names two or more of the regions
        the signatures speak for: it introduces the compilation (`现将甲、乙两地做法摘编如下`)."""
        for line in LINE.finditer(view, 0, limit):
            text = line.group().strip()
            if not text or self.headings.is_short_heading(text, ""):
                continue
            named = {p.province for p in self.places(view, line.start(), line.end())} & provinces
            return skip_space(view, line.end()) if len(named) >= 2 else 0
        return 0

    def signoff_places(self, view: str) -> list[NamedPlace]:
        """The places of the issuer signing at the foot of the text (`中共某某县委办公室` above a
        date): the last lines that are neither blank nor a date must each be one acting body's name,
        and all of one province; none otherwise."""
        c = self.r
        found = []
        for line in reversed(list(LINE.finditer(view, max(0, len(view) - 200)))):
            text = line.group().strip()
            if not text or c.rx["signoff_date"].match(text):
                continue
            if len(found) == c.r.signoff_lines or not c.rx["signoff"].match(text):
                break
            p = self.place_at(view, line.start() + line.group().index(text))
            if not (p and p.actor):
                break
            found.append(p)
        return found if single_province(found) else []

    def title_places(self, view: str, end: int) -> list[NamedPlace]:
        """Places in the title lines, leaving out source and byline lines (`来源: 某某日报`)."""
        meta = self.r.not_heading
        out = []
        for m in LINE.finditer(view, 0, end):
            if not any(rx.search(m.group().strip()) for rx in meta):
                out += self.places(view, m.start(), m.end())
        return out

    def target_segments(self, view: str) -> list[RegionSpan]:
        """Passages of a central document about one province's committee: from a sentence that
        reports to it (`中央第九巡视组向山西省委提出,…`) to the next such sentence or the end of
        its paragraph."""
        opened: list[tuple[int, str]] = []
        for m in self.r.rx["central_target"].finditer(view):
            p = self.place_at(view, m.end())
            if p and p.form.level == "provincial" and p.province:
                opened.append((skip_space(view, m.start()), p.province))
        out: list[RegionSpan] = []
        for (start, prov), (nxt, _) in zip(opened, [*opened[1:], (len(view), "")]):
            para = view.find("\n", start)
            end = min(nxt, len(view) if para < 0 else para)
            out.append(RegionSpan(region=prov, start=start, end=len(view[:end].rstrip()),
                                  rule_id=self.r.r.central_target.id))
        return out

    @cached_property
    def sentence_lead(self) -> re.Pattern:
        """A sentence start and its connective; a place name is then looked for at its end.

        (Putting the place regex in a lookahead here would be tidier but is 20 times slower.)
        """
        start = f"(?:^|(?<=[{re.escape(self.b.chars['statement'])}]))[ \t\u3000]*"
        return re.compile(f"{start}(?:{self.r.rx['sentence_lead'].pattern})", re.M)

    @cached_property
    def labelled_line(self) -> re.Pattern:
        """A line opening with a section number or bracket, perhaps nothing more."""
        return re.compile(self.r.rx["section_label"].pattern, re.M)

    def sentence_segments(self, view: str) -> list[RegionSpan]:
        """Passages led by a sentence whose subject is one region's body (`此外,安徽省的党委…`).

        A passage runs to the end of its paragraph, or to the next sentence that names another
        region. Only sentence starts are looked at, which keeps this cheap on long national texts.
        """
        out: list[RegionSpan] = []
        skipped = (-1, -1)  # the last stretch of spaces skipped: lines of blanks are crossed once
        for m in self.sentence_lead.finditer(view):
            if not skipped[0] <= m.start() <= skipped[1]:
                skipped = (m.start(), skip_space(view, m.start()))
            start = skipped[1]
            if out and start < out[-1].end:
                continue
            p = self.place_at(view, m.end())
            if not (p and p.actor and p.province):
                continue
            end = self.passage_end(view, p.end, p.province)
            if end > p.end:
                out.append(RegionSpan(region=p.province, start=start, end=end,
                                      rule_id="region.sentence"))
        return out

    def sentence_start(self, view: str, pos: int) -> int:
        ends = self.b.chars["passage"]
        while pos > 0 and view[pos - 1] not in ends:
            pos -= 1
        return pos

    def passage_end(self, view: str, pos: int, province: str) -> int:
        """End of the paragraph, or the start of the first later sentence naming another region."""
        para_end = len(view)
        for i in (view.find("\n", pos), view.find("\r", pos)):
            if i != -1:
                para_end = min(para_end, i)
        for p in self.places(view, pos, para_end):
            if p.province and p.province != province:
                return self.sentence_start(view, p.start)
        return para_end

    def explain(self, nt: NormalText, default: str | None = None) -> list[dict]:
        """Every place name the gazetteer finds, with what became of it and its segment's region.

        A dropped name gives the id of the filter that dropped it (`region.not.dateline`, …); a kept
        one whether it acts (only acting names lead sentences or make body evidence) and the
        provinces it can name (two or more: ambiguous, evidence only beside other names).
        """
        spans, rows = self.regions(nt, default), []
        for m, place, dropped in self.candidates(nt.view):
            form = self.gazetteer[m.group()]
            status = f"dropped: {dropped}" if dropped else \
                "kept: actor" if place.actor else "kept: named"
            span = next((s for s in spans if s.start <= m.start() < s.end), None)
            rows.append({"text": nt.span(m.start(), m.end()), "start": m.start(), "end": m.end(),
                         "provinces": sorted(form.provinces), "level": form.level,
                         "status": status, "region": span.region if span else None,
                         "segment_rule": span.rule_id if span else None})
        return rows


class NameFinder:
    """Names found as the regex of their prefix tree (`trie_alternation`) finds them, at a tenth
    of its cost: at every place where a name may begin, `re` tries the tree's first branches in
    turn until one opens with the character there (nine hundred branches for the gazetteer,
    four microseconds a place); here a scan for the names' first characters finds the places,
    and the one branch that can match there, the subtree of that character as its own regex
    (`heads`, compiled when first needed), is matched."""

    def __init__(self, names):
        tails: dict[str, list[str]] = {}
        for name in names:
            tails.setdefault(name[0], []).append(name[1:])
        self.firsts = regex("[" + "".join(map(re.escape, sorted(tails))) + "]")
        self.heads = Heads({first: re.escape(first) + trie_alternation(rest)
                            for first, rest in tails.items()})

    def search(self, text: str, pos: int, end: int) -> re.Match | None:
        """The first name in `text[pos:end]`, as the tree regex's `search` finds it."""
        firsts, heads = self.firsts.search, self.heads
        while (first := firsts(text, pos, end)) is not None:
            at = first.start()
            m = heads[text[at]].match(text, at, end)
            if m is not None:
                return m
            pos = at + 1
        return None


class Heads(dict):
    """First character -> the regex of the names that begin with it (the character, then the
    prefix tree of the rest of each), compiled when first asked for: a document meets a few
    hundred of the first characters, a sentence a handful."""

    def __init__(self, patterns: dict[str, str]):
        super().__init__()
        self.patterns = patterns

    def __missing__(self, first: str) -> re.Pattern:
        rx = self[first] = regex(self.patterns[first])
        return rx


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


def closed_lines(view: str):
    """(start, text) of each line (`LINE`) that ends with `)` before its trailing spaces: found
    from the closing brackets at line ends, not by a look at every line."""
    for m in LINE_CLOSE.finditer(view):
        start = max(view.rfind("\n", 0, m.start()), view.rfind("\r", 0, m.start())) + 1
        yield start, view[start:m.end()]


def prev_line(view: str, pos: int) -> str:
    """The last non-blank line before `pos`, stripped."""
    for line in reversed(view[max(0, pos - 400): pos].splitlines()):
        if line.strip():
            return line.strip()
    return ""


def skip_space(view: str, pos: int) -> int:
    while pos < len(view) and view[pos].isspace():
        pos += 1
    return pos


def single_province(found: list[NamedPlace]) -> str | None:
    """The one province every place can name: `朝阳区` (Beijing or Changchun) beside `长春市`
    is Jilin's; two different provinces, or an ambiguous name alone, give None."""
    common = None
    for p in found:
        common = set(p.form.provinces) if common is None else common & p.form.provinces
    return common.pop() if common and len(common) == 1 else None


def region_at(spans: list[RegionSpan], offset: int) -> str | None:
    """The region of the segment holding `offset`, or None."""
    for s in spans:
        if s.start <= offset < s.end:
            return s.region
    return None


@lru_cache(maxsize=1)
def stage() -> Regions:
    """The headings and regions stage as the run builds it, once per process, shared with the
    callers outside the run (a manifest's province names)."""
    return Regions()
