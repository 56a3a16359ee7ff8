"""Work items: the act, what it acts on, who does it, how much and by when (spec §5).

An item is a clause (or a few clauses run together) whose act is one verb of the lexicon in
`rules/items.yaml` (`items_rules`). The text is cut into sentences and clauses (`clauses`), each
clause's act is found from jieba words and the lexicon (`acts`), and this module groups clauses
into items: clauses without an act (a fronted date, `14名市领导任副组长`) join the clause they
modify, so every count and date sits inside the item of the verb that governs it. Verbs outside
the lexicon come from jieba's POS tags, read word by word (cached) and only for clauses and
segments that count or date something and hold no verb of the lexicon: tagging whole sentences
is five times slower than the rest of the pipeline. Practice categories come from `practices`.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from pipeline.candidates import Candidate, Explained, RuleRef
from pipeline.context.boundaries import Units
from pipeline.context.document import Context
from pipeline.context.lexicon import word_pos
from pipeline.context.regions import region_at
from pipeline.context.spans import in_spans
from pipeline.context.view import NormalText
from pipeline.items.acts import ACT_CLASSES, Acts, Words
from pipeline.items.clauses import Clause, Verb, join_straddled, split_segments
from pipeline.items.lexicon import ItemRules, item_rules
from pipeline.items.practices import Cues, practice_rules
from pipeline.items.responsibility import Responsibility
from pipeline.records import ITEM_IDS, Heading, RegionSpan, SharedFields, WorkItem, evolve, made
from pipeline.rules import by_last_char, ending


@dataclass(slots=True)
class Group:
    """Clauses that form one item: the act's clause and the act-less clauses that join it."""

    clauses: list[Clause]
    head: Clause
    rule_id: str = ""
    task: str | None = None  # set where a rule names the object (关于<task>的通报)

    @property
    def start(self) -> int:
        return self.clauses[0].start

    @property
    def end(self) -> int:
        return self.clauses[-1].end


# ---------------------------------------------------------------- clauses into items


@lru_cache(maxsize=1 << 16)
def word_verbs(word: str) -> tuple[tuple[tuple[int, str, str, str | None], ...], str | None]:
    """The parts of a word that jieba tags as verbs or verbal nouns, as (offset in the word,
    part, flag, the part before it in the word or None for the first), and the word's last part
    (None when the tagger gives none): most words hold no verb and are passed over in one step.
    The tags are jieba's, kept across runs (`lexicon.word_pos`)."""
    tags, out, pos = word_pos(word), [], 0
    for j, (w, flag) in enumerate(tags):
        if flag in ("v", "vd", "vn"):
            out.append((pos, w, flag, tags[j - 1][0] if j else None))
        pos += len(w)
    return tuple(out), (tags[-1][0] if tags else None)


def only_time(view: str, c: Clause, mentions: list) -> bool:
    """A clause that is a date and little else (`截止2018年10月`): it dates the act after it."""
    if not mentions:
        return False
    times = [m for m in mentions if m.kind == "time" and c.start <= m.start and m.end <= c.end]
    if not times:
        return False
    rest = _cut(view, c.start, c.end, times)
    return len(rest.strip(" ,;:、")) <= 2


def segment_groups(seg: list[Clause]) -> list[Group]:
    """Act clauses head groups. An act-less clause joins the act before it, except a fronted
    adverbial (a date, 巡视期间, 根据…部署) or a clause before any act, which joins the act after
    it (spec §5: a date that opens a clause belongs to that clause's act, 过去一年,市委扛起…: 扛起).
    A clause whose only verb measures (达到, 涵盖) counts as act-less unless the segment has no
    other act."""
    acts = [c for c in seg if c.action and not c.extent] or [c for c in seg if c.action][:1]
    if len(acts) == len(seg):  # every clause an act (the common case): an item each
        return [Group([c], c) for c in seg]
    if not acts:
        return [Group(seg, seg[0])]  # act-less: joined to a neighbour or dropped later
    is_act = set(acts)  # clauses hash and compare by identity
    last = max(k for k, c in enumerate(seg) if c in is_act)
    groups, pending = [], []
    for k, c in enumerate(seg):
        if c in is_act:
            groups.append(Group(pending + [c], c))
            pending = []
        elif not groups or c.adverbial and k < last:  # an act comes later
            pending.append(c)
        else:
            groups[-1].clauses.extend(pending + [c])
            pending = []
    return groups


def attach_actless(groups: list[Group]) -> list[Group]:
    """An act-less segment joins the item before it in the sentence, else the one after it."""
    out: list[Group] = []
    pending: list[Clause] = []
    for g in groups:
        if g.head.action:
            g.clauses = pending + g.clauses
            pending = []
            out.append(g)
        elif out:
            out[-1].clauses.extend(g.clauses)
        else:
            pending.extend(g.clauses)
    if pending:
        out.append(Group(pending, pending[0]))
    return out


def _fallback(cls: list[Clause], start: int, word: str, rid: str) -> Group:
    verb = Verb(start, start + len(word), word, "strong", rid)
    head = next((c for c in cls if c.start <= start < c.end), cls[0])
    head.act = head.action = verb
    return Group(list(cls), head, rid)


# ---------------------------------------------------------------- groups into records


# what `trim` takes off a group's ends: every character `str.isspace` holds a space (none lies
# above U+3000) and the punctuation the cuts leave
_TRIMMED = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + ",;:、"


def trim(view: str, s: int, e: int) -> tuple[int, int]:
    """A group's span without surrounding spaces and punctuation left by the cuts (two C-speed
    strips of its text instead of a test per character)."""
    if s == e or view[s] not in _TRIMMED and view[e - 1] not in _TRIMMED:
        return s, e  # nearly every group: its clauses were cut at its ends
    text = view[s:e]
    rest = text.lstrip(_TRIMMED)
    s += len(text) - len(rest)
    return s, s + len(rest.rstrip(_TRIMMED))


def _traced(item: WorkItem, clauses: list[Clause]) -> Explained:
    """An item as a row of `explain`: under its own rule, crediting every act of its clauses."""
    acts = {v.rule_id for c in clauses for v in (c.act, c.action) if v is not None}
    return Explained(Candidate(item.start, item.end, RuleRef(item.rule_id), applied=sorted(acts)),
                     item)


def _marks(view: str, mark: str, s: int, e: int) -> Iterator[int]:
    """Offsets of a one-character mark in view[s:e]."""
    p = view.find(mark, s, e)
    while p >= 0:
        yield p
        p = view.find(mark, p + 1, e)


def _cut(view: str, s: int, e: int, times: list) -> str:
    if not times:
        return view[s:e].strip()
    parts, pos = [], s
    for t in times:
        if s <= t.start and t.end <= e and t.start >= pos:
            parts.append(view[pos:t.start])
            pos = t.end
    parts.append(view[pos:e])
    return "".join(parts).strip()




TASK_LIMIT = 60  # the characters of a task kept: an object phrase, not the rest of a clause
COUNTS = ("quantity", "time")  # the mentions that give a clause without a lexicon verb an act
NO_KINDS = frozenset()  # the kinds of mention in a group that holds none
SPLIT_CLASSES = ACT_CLASSES + ("extent",)  # the verbs a 、 between two predicates may cut at
# the sentences whose groups `Items.extract` finds before it makes their records: one pass of
# each kind over several sentences runs faster than the two alternating sentence by sentence
# (the items stage 5-10% less CPU, measured with 16 to a whole document), and a batch keeps
# only a few sentences' clauses alive at once, whatever the document's length
BATCH = 64


class Records:
    """The WorkItems of one document, made group by group in text order (the subject an item
    states goes on to the items after it), and the mentions linked to the items that hold them.
    What every item reads of the document (its view, headings, regions, rules) is looked up
    once here: a document makes about a thousand items."""

    def __init__(self, stage: Items, nt: NormalText, heads: list[Heading],
                 regions: list[RegionSpan], mentions: list, doc_id: str, trace: list | None,
                 cues: Cues):
        self.stage, self.rules, self.view, self.original = stage, stage.rules, nt.view, nt.original
        self.doc_id, self.trace, self.cues = doc_id, trace, cues
        self.mentions, self.starts = mentions, [m.start for m in mentions]
        self.bounds, self.places = places(heads, regions)
        self.subjects = Responsibility(nt.view)
        self.exhorts, self.task_of, self.cues_of = stage.exhorts, stage.task_of, cues.of
        self.change_verbs = self.rules.change_verbs
        self.exhort_classes = self.rules.exhort_classes
        self.ids = ITEM_IDS.first(0)
        self.items: list[WorkItem] = []
        # an item's values, in the order of its fields, with those of the document set: copied
        # and filled for each item, a quarter cheaper than a dict of all its values written out
        self.template = dict.fromkeys(WorkItem.model_fields)
        self.template.update(doc_id=doc_id, source="rule", score=1.0)
        self.owner: dict[str, str] = {}

    def sentences(self, found: list[tuple[int, int, int, int, list[Group] | list[Clause]]]
                  ) -> None:
        """The items of sentences given as (start, end, lo, hi, groups), in text order: the
        groups of sentence [start, end), whose mentions are [lo, hi) of the document's (as
        `Items.extract` found them); a sentence whose every clause is an item of its own gives
        its clauses (`Items.sentence_groups`), read as groups of one clause. What holds for
        every group of a sentence is looked up once: whether a cue or a change of section or
        region falls in it (rarely: most of its items then take no cue and one place), and
        whether it has stated a subject yet (one carries within its sentence only,
        `Responsibility`: before the first, an item naming no body has none). Every group is
        made an item here, in this one loop (a call per item with the sentence's values
        passed in cost 1% of the stage): unless it counts and dates nothing and an exhortation
        rule leaves it out."""
        view, original, starts, mentions = self.view, self.original, self.starts, self.mentions
        bounds, places, items, owner = self.bounds, self.places, self.items, self.owner
        exhort_classes, change_verbs = self.exhort_classes, self.change_verbs
        template = self.template
        for s, e, lo, hi, groups in found:
            k = bisect_right(bounds, s)
            place = places[k - 1] if k == len(bounds) or bounds[k] > e else None
            cued, stated = self.cues.any_between(s, e), False
            plain = groups and type(groups[0]) is Clause
            for g in groups:
                if plain:
                    clauses, head, rule_id, task = (g,), g, "", None
                else:
                    clauses, head, rule_id, task = g.clauses, g.head, g.rule_id, g.task
                start, end = clauses[0].start, clauses[-1].end
                if view[start] in _TRIMMED or view[end - 1] in _TRIMMED:  # (rarely: no call else)
                    start, end = trim(view, start, end)
                if lo < hi and (k := bisect_left(starts, start, lo, hi)) < hi and starts[k] < end:
                    # a mention starts inside (one group in four)
                    inside = [m for m in mentions[k:bisect_left(starts, end, k, hi)] if m.end <= end]
                    kinds = {m.kind for m in inside}
                else:
                    inside, kinds = (), NO_KINDS
                act, action = head.act, head.action  # `exhorts` is asked only where a class may
                if (act is not None and (act.cls in exhort_classes or action.cls in exhort_classes)
                        and kinds.isdisjoint(COUNTS) and (rid := self.exhorts(view, head))):
                    if self.trace is not None:
                        self.trace.append(Explained(Candidate(start, end, RuleRef(rid)), None, rid))
                    continue
                n = len(items)
                if n >= len(self.ids):
                    self.ids = ITEM_IDS.first(n + 1)
                item_id = self.ids[n]
                own = self.stage.responsible(view, clauses, head, inside) if "body" in kinds else []
                resp = self.subjects.of(s, start, end, own, inside) if own or stated else None
                stated = stated or bool(own)
                word = action.word
                if word in change_verbs:  # one act in eight: the rest are reported as written
                    word = self.rules.action_word(word, view[action.end:action.end + 1])
                task = task or self.task_of(view, head, [m for m in inside if m.kind == "time"]
                                            if "time" in kinds else ())
                cats, cues = self.cues_of(start, end) if cued else ([], [])
                section, region = place or places[bisect_right(bounds, start) - 1]
                responsible, inherited = resp or ([], [])
                values = template.copy()  # what every item of the document shares
                values["start"], values["end"] = start, end
                values["text"] = original[start:end]
                values["item_id"], values["action"], values["task"] = item_id, word, task
                values["region"], values["section"] = region, section
                values["category"], values["cues"] = cats, cues
                values["responsible"], values["inherited"] = responsible, inherited
                values["mention_ids"] = [m.mention_id for m in inside] if inside else []
                values["rule_id"] = rule_id or action.rule_id
                item = made(WorkItem, values, _ITEM_SET)
                items.append(item)
                if self.trace is not None:
                    self.trace.append(_traced(item, clauses))
                for m in inside:
                    owner[m.mention_id] = item_id

    def linked(self) -> list:
        """The mentions, each inside an item with that item's id."""
        owner = self.owner.get
        return [m if (item_id := owner(m.mention_id)) is None else evolve(m, {"item_id": item_id})
                for m in self.mentions]


_ITEM_SET = SharedFields(set(WorkItem.model_fields) - {"source", "score"})  # the fields an item sets


def places(heads: list[Heading], regions: list[RegionSpan]
           ) -> tuple[list[int], list[tuple[str | None, str | None]]]:
    """The section (the text of the last heading starting at or before an offset) and the
    region (`region_at`) of every offset, as the offsets where either may change and the pair
    from each on: an item finds both by one bisection instead of a bisection and a scan."""
    head_starts = [h.start for h in heads]  # in text order, as headings.heading_at reads them
    bounds = sorted({0, *head_starts, *(r.start for r in regions), *(r.end for r in regions)})
    pairs = []
    for b in bounds:
        k = bisect_right(head_starts, b) - 1
        pairs.append((heads[k].text if k >= 0 else None, region_at(regions, b)))
    return bounds, pairs


class Items:
    """The item stage, built once with the compiled item rules."""

    def __init__(self, rules: ItemRules | None = None):
        self.rules = rules or item_rules()
        self.acts = Acts(self.rules)
        self.practices = practice_rules()
        self.complement_heads = frozenset(c[0] for c in self.rules.complements)
        self.exhort_checks = [(rule.id, frozenset(rule.classes), markers, objects)
                              for rule, markers, objects in self.rules.exhort_res]
        self.adverbs_ending = by_last_char(self.rules.adverbs)

    def extract(self, ctx: Context, mentions: list, trace: list | None = None
                ) -> tuple[list[WorkItem], list]:
        """Items of the document and the mentions with their `item_id` set.

        Items carry the context's `doc_id`, else (a context made for a test) the mentions' one.
        `trace`, when given, receives an `Explained` row for every group: its item, under the
        rule of its act, crediting the rules of every act its clauses hold, or the exhortation
        rule that left it out.
        """
        nt, units = ctx.text, ctx.units
        words = Words(ctx.tokens, nt.view, self.acts, units.brackets, mentions)
        doc_id = ctx.doc_id or (mentions[0].doc_id if mentions else "")
        records = Records(self, nt, list(ctx.headings), list(ctx.regions), mentions, doc_id, trace,
                          Cues.of_context(ctx, self.practices))
        starts = records.starts  # the mentions' starts, in text order
        found = []  # the groups of up to BATCH sentences, then their records
        for s, e in units.sentences:
            lo, hi = bisect_left(starts, s), bisect_left(starts, e)
            inside = mentions[lo:hi]
            if not words.hits_between(s, e) and not any(m.kind in COUNTS for m in inside):
                continue  # no lexicon word, no count, no date: no act to find
            found.append((s, e, lo, hi, self.sentence_groups(nt, words, units, s, e, inside)))
            if len(found) == BATCH:
                records.sentences(found)
                found = []
        records.sentences(found)
        return records.items, records.linked()

    # -------------------------------------------------------------------- the rule file's examples

    rules_file = ItemRules.FILE
    needs_mentions = True  # its examples are read with the run's own mentions

    def examples(self):
        f = self.rules.file
        for rule in [*f.actions, f.light_objects, *f.title_acts, *f.exhortations]:
            yield from ((rule.id, ex) for ex in rule.examples)

    def rule_ids(self) -> list[str]:
        f = self.rules.file
        return [r.id for r in [*f.actions, f.light_objects, *f.title_acts, *f.exhortations]]

    def explain(self, ctx: Context, mentions: list) -> list[Explained]:
        """The items of a text (each under the rule of its act), the groups an exhortation rule
        left out, and the act every title pattern names."""
        rows: list[Explained] = []
        self.extract(ctx, mentions, rows)
        for rid, pat in self.rules.title_acts:
            rows += [Explained(Candidate(m.start("act"), m.end("act"), RuleRef(rid)))
                     for m in pat.finditer(ctx.view)]
        return rows

    def sentence_groups(self, nt: NormalText, words: Words, units: Units, s: int, e: int,
                        mentions: list) -> list[Group] | list[Clause]:
        """The items of one sentence, as groups of clauses; or, where every clause is an item of
        its own (three sentences in four), as the clauses, which `Records` reads as groups of
        one clause: a group object for each would cost a tenth of what its item does."""
        cls = self.sentence_clauses(nt.view, words, units, s, e, mentions)
        colon = nt.view.find(":", s, e) >= 0  # only an item that ends at one holds what follows it
        if self.actless_clauses(nt, words, cls, mentions):  # every clause an item of its own
            if not colon:
                return cls  # read as groups of one clause each: no group made for each
            groups = [Group([c], c) for c in cls]
        else:
            groups = self.clause_groups(nt, words, cls, mentions)
        return self.found_after_colon(nt.view, groups) if colon else groups

    def clause_groups(self, nt: NormalText, words: Words, cls: list[Clause], mentions: list
                      ) -> list[Group]:
        """The items of a sentence's clauses, segment by segment (`segment_groups`), an act-less
        segment taking a fallback act or joining the item next to it."""
        self.measure_of_previous(nt.view, cls)
        groups, actless = [], False
        for seg in split_segments(cls):
            got = segment_groups(seg)
            if not got[0].head.action:  # an act-less segment (only these make act-less groups)
                got = [self.fallback_group(nt, words, seg, mentions) or got[0]]
                actless = actless or not got[0].head.action
            groups.extend(got)
        if actless:
            groups = [g for g in attach_actless(groups) if g.head.action]
        return groups

    def sentence_clauses(self, view: str, words: Words, units: Units, s: int, e: int,
                         mentions: list) -> list[Clause]:
        """The clauses of one sentence with their acts, cut where a 、 ends a predicate
        (`split_predicates`, only a clause of two verbs or more can be) or where a directive
        causative's count is its own (`split_governed`, only for those causatives)."""
        analyse, directives = self.acts.analyse, self.rules.directive_causatives
        cls: list[Clause] = []
        for span in join_straddled(units.clauses(s, e), mentions):
            c = analyse(view, words, Clause(*span), mentions)
            if len(c.verbs) > 1 and view.find("、", c.start, c.end) >= 0:
                for part in self.split_predicates(view, words, units.brackets, c, mentions):
                    if part.act is not None and part.act.word in directives:
                        cls.extend(self.split_governed(view, words, part, mentions))
                    else:
                        cls.append(part)
            elif c.act is not None and c.act.word in directives:
                cls.extend(self.split_governed(view, words, c, mentions))
            else:
                cls.append(c)
        return cls

    def actless_clauses(self, nt: NormalText, words: Words, cls: list[Clause], mentions: list
                        ) -> bool:
        """A speech verb's clause that counts takes it as its act; a clause with no act is an
        adverbial of the act after it (a fronted date, a topic, a partitive, a means), or takes
        its act from jieba's POS tags when it counts or dates something. Whether every clause
        then has an act that measures nothing (the common sentence: each is an item of its own)."""
        view, plain = nt.view, True
        for k, c in enumerate(cls):
            if c.speech is not None and self.speaks_of_count(view, cls, k, mentions):
                c.act = c.action = c.speech
            if c.action:
                plain = plain and not c.extent
                continue
            fronted = k + 1 < len(cls) and only_time(view, c, mentions)  # dates what follows
            if (fronted or self.topic_of_next(view, cls, k)
                    or view.endswith(self.rules.partitive_endings, c.start, c.end)
                    or k + 1 < len(cls) and self.means_of_next(view, c)):
                c.adverbial = True
            elif not c.adverbial and mentions:  # no count, no date: no act from POS tags
                self.counted_act(nt, words, c, mentions)
            plain = plain and c.action is not None
        return plain

    def topic_of_next(self, view: str, cls: list[Clause], k: int) -> bool:
        """An act-less clause before a clause of the same segment that starts with 均/都 …
        (尚未整改的问题还有8个,均已明确时限) is that clause's topic: it joins the act after it."""
        nxt = cls[k + 1] if k + 1 < len(cls) else None
        return (nxt is not None and not nxt.hard and nxt.action is not None
                and view.startswith(self.rules.topic_followers, nxt.start))

    def means_of_next(self, view: str, c: Clause) -> bool:
        """An act-less clause that names a way of working (采取“交叉巡察”方式) is how the act
        after it is done."""
        return self.rules.means_re.search(view, c.start, c.end) is not None

    def counted_act(self, nt: NormalText, words: Words, c: Clause, mentions: list) -> None:
        """A clause that counts or dates something but holds no verb of the lexicon (专职干部仅有
        15名, 年底前全部清零) takes a verb from jieba's POS tags: for a count, the verb before it,
        else the first one after it (a counted subject: 6个实验室在县城布局); for a date that opens
        the clause, the first verb after it. The tagger is slow, so it reads only such clauses,
        which are few."""
        rules, q, t = self.rules, None, None
        for m in mentions:  # the clause's first count and first date
            if c.start <= m.start and m.end <= c.end:
                if m.kind == "quantity":
                    if q is None and not getattr(m, "ordinal", False):
                        q = m
                elif m.kind == "time" and t is None:
                    t = m
        if (q is None and t is None) or nt.view.startswith(rules.part_subjects, c.start):
            return  # 其中…的近50名: a part of the count before, of its item
        if q is None:  # only a fronted date: one inside a clause is a comparison (创2006年以来新高)
            if nt.view[c.start:t.start].strip(" ,;:、"):
                return
            found = self._first_pos_verb(words, t.end, c.end)
        else:
            found = self._last_pos_verb(words, c.start, q.start)
            if found is not None:
                if self.acts.opener_between(nt.view, found[0] + len(found[1]), q.start):
                    return
            else:
                found = self._first_pos_verb(words, q.end, c.end)
        if found:
            start, word = found
            c.act = c.action = Verb(start, start + len(word), word, "strong", "item.fallback.pos")

    def _first_pos_verb(self, words: Words, s: int, e: int) -> tuple[int, str] | None:
        """The first verb of jieba's POS tags in [s, e) that is not a word of the lexicon (those
        were weighed), tagging no word past it."""
        lexicon = self.rules.lexicon
        return next(((a, w) for a, w, _ in self.tagged_verbs(words, s, e) if w not in lexicon),
                    None)

    def _last_pos_verb(self, words: Words, s: int, e: int) -> tuple[int, str] | None:
        """The last verb of jieba's POS tags in [s, e) that is not a word of the lexicon and not a
        modifier (a verb before 的), tagging words from the end back to it."""
        rules, view = self.rules, words.view
        return next(((a, w) for a, w in self.tagged_verbs_back(words, s, e)
                     if w not in rules.lexicon
                     and not view.startswith(rules.attributive_marker, a + len(w))), None)

    def pos_verbs(self, words: Words, s: int, e: int, flags=("v", "vd", "vn")) -> list[tuple[int, str]]:
        """(offset, word) of the verbs of jieba's POS tags in [s, e) (`tagged_verbs`), with the
        verbal nouns of `flags` (vn) only where there is no verb."""
        out = list(self.tagged_verbs(words, s, e, flags))
        verbs = [(a, w) for a, w, f in out if f != "vn"]
        return verbs or [(a, w) for a, w, _ in out]

    def tagged_verbs(self, words: Words, s: int, e: int, flags=("v", "vd")
                     ) -> Iterator[tuple[int, str, str]]:
        """(offset, word, flag) of the words in [s, e) that jieba's POS tags give one of `flags`,
        less the words that are no acts (是, 为, 任 …), the verbs right after a negator and words
        inside a body's name (控股 of …控股有限公司), in text order. Each word is tagged on its own,
        once per process and only when the caller reads that far: tagging whole sentences is five
        times slower than the rest of the stage."""
        lo, hi = words.span(s, e)
        starts, texts, prev = words.starts, words.texts, ""
        for k in range(lo, hi):
            verbs, last = word_verbs(texts[k])
            for off, w, flag, before in verbs:
                pos = starts[k] + off
                if flag in flags and self._pos_act(words, pos, w, prev if before is None else before):
                    yield pos, w, flag
            if last is not None:
                prev = last

    def tagged_verbs_back(self, words: Words, s: int, e: int) -> Iterator[tuple[int, str]]:
        """(offset, word) of the verbs `tagged_verbs` gives, from the last back to the first,
        tagging a word only when the caller reads back to it (and the word before it, whose
        last part may negate it)."""
        lo, hi = words.span(s, e)
        for k in range(hi - 1, lo - 1, -1):
            for off, w, flag, before in reversed(word_verbs(words.texts[k])[0]):
                if flag == "vn":
                    continue
                pos = words.starts[k] + off
                prev = self._last_part(words, k, lo) if before is None else before
                if self._pos_act(words, pos, w, prev):
                    yield pos, w

    @staticmethod
    def _last_part(words: Words, k: int, lo: int) -> str:
        """The last part jieba's tagger gives the words before word k, from word `lo` on."""
        for i in range(k - 1, lo - 1, -1):
            last = word_verbs(words.texts[i])[1]
            if last is not None:
                return last
        return ""

    def _pos_act(self, words: Words, pos: int, w: str, prev: str) -> bool:
        rules = self.rules
        return (w not in rules.fallback_not_actions and prev not in rules.negators
                and not words.in_name(pos, pos + len(w)))

    def found_after_colon(self, view: str, groups: list[Group]) -> list[Group]:
        """An item that ends in `:` after a finding act (巡察发现以下问题:) holds the rest of the
        sentence: what follows lists what was found, not acts of its own."""
        rules = self.rules
        for k, g in enumerate(groups):
            if (g.head.action.word in rules.finding_intros and view[g.end:g.end + 1] == ":"
                    and k + 1 < len(groups)):
                for later in groups[k + 1:]:
                    g.clauses.extend(later.clauses)
                return groups[:k + 1]
        return groups

    def split_predicates(self, view: str, words: Words, brackets, c: Clause, mentions: list) -> list[Clause]:
        """A 、 usually joins objects (梳理、修订制度; 4个方面、20项问题), but between two predicates
        it ends a clause: cut where the part before has an act and the part after has one before
        the next 、, and either starts with no verb (投资增长5%、消费增长6%: each has its own
        subject) or follows a count (新建学校3所、改造道路12公里: a verb after a count starts a
        predicate of its own)."""
        if len(c.verbs) < 2 or view.find("、", c.start, c.end) < 0:
            return [c]
        acts = [v for v in c.verbs if v.cls in SPLIT_CLASSES and not v.framed]
        if len(acts) < 2:
            return [c]
        cuts, last = [], c.start
        for p in _marks(view, "、", c.start, c.end):
            if in_spans(brackets, p) or any(m.start < p < m.end for m in mentions):
                continue
            nxt = view.find("、", p + 1, c.end)
            stop = nxt if nxt >= 0 else c.end
            first = next((v for v in acts if p < v.start < stop), None)
            if (any(last <= v.start and v.end <= p for v in acts) and first is not None
                    and (not any(v.start == p + 1 for v in c.verbs)
                         or any(m.end == p and m.kind == "quantity" for m in mentions))
                    and not self._lists_before(view, p + 1, first.start)):
                cuts.append(p)
                last = p + 1
        if not cuts:
            return [c]
        bounds = [c.start] + [p + 1 for p in cuts]
        ends = cuts + [c.end]
        return [self.acts.analyse(view, words, Clause(a, b, c.hard and a == c.start), mentions)
                for a, b in zip(bounds, ends)]

    def split_governed(self, view: str, words: Words, c: Clause, mentions: list) -> list[Clause]:
        """A count in the object of a causative that directs a body (指导11个市对147个部门开展巡察,
        组织5个县与巡察组开展联动) is the causative's (spec §5: each number belongs to the act it
        follows): the governed act, with what it counts and dates, is a clause of its own, cut
        where its phrase opens (an opener such as 对, 在, 与 after the count, else the act)."""
        act, inner = c.act, c.action
        if (act is None or inner is None or act.word not in self.rules.directive_causatives
                or inner.start < act.end):
            return [c]
        counts = [m.end for m in mentions if m.kind == "quantity" and not getattr(m, "ordinal", False)
                  and act.end <= m.start and m.end <= inner.start]
        if not counts:
            return [c]
        lo, hi = words.span(min(counts), inner.start)
        cut = next((words.starts[i] for i in range(lo, hi)
                    if words.texts[i] in self.rules.count_openers), inner.start)
        return [self.acts.analyse(view, words, Clause(c.start, cut, c.hard), mentions),
                self.acts.analyse(view, words, Clause(cut, c.end, False), mentions)]

    @staticmethod
    def speaks_of_count(view: str, cls: list[Clause], k: int, mentions: list) -> bool:
        """A speech verb ending its clause (各巡视组指出,) is the act of what it introduces when
        its clause, or the act-less clause after it, counts or dates something (巡视组指出,41个县
        …向好; 2024年省委文件强调,…); a fronted adverbial after it (指出,十八大以来,…) waits
        for the act after it."""
        c = cls[k]
        if c.action or c.speech is None:
            return False
        nxt = cls[k + 1] if k + 1 < len(cls) else None
        said = [c] + ([nxt] if nxt and not (nxt.action or nxt.adverbial
                                           or only_time(view, nxt, mentions)) else [])
        return any(m.kind in ("quantity", "time") and s.start <= m.start and m.end <= s.end
                   for s in said for m in mentions)

    def _lists_before(self, view: str, s: int, e: int) -> bool:
        """A 等 before the verb closes a list of nouns (组织A、B等8个区县开展…): no cut inside it."""
        return any(w in view[s:e] for w in self.rules.noun_after)

    def measure_of_previous(self, view: str, cls: list[Clause]) -> None:
        """An extent clause (…率达到95%) measures the act before it only when it names that act
        (整改完成率 after 整改) or points back (内容涵盖…); otherwise its verb is an act of its own."""
        prev = None
        for c in cls:
            if c.extent and c.act and c.act.cls == "extent":
                named = prev is not None and prev.action.word in view[c.start:c.act.start]
                c.extent = named or self.acts.continues(view, c, c.act)
            if c.action and not c.extent:
                prev = c

    def fallback_group(self, nt: NormalText, words: Words, seg: list[Clause], mentions: list
                       ) -> Group | None:
        """A segment with counts or dates but no verb of the lexicon: a title act (关于…的通报),
        else the verb jieba's POS tags give nearest before the first count (仅有二十一名), else
        its first verb, else its first verbal noun (2026年发展主要任务)."""
        s, e = seg[0].start, seg[-1].end
        inside = [m for m in mentions if s <= m.start and m.end <= e]
        if not any(m.kind in ("quantity", "time") for m in inside):
            return None
        rules = self.rules
        view = nt.view[s:e]
        for rid, pat in rules.title_acts:
            m = pat.search(view)
            if m:
                g = _fallback(seg, s + m.start("act"), m.group("act"), rid)
                g.task = m.groupdict().get("task")
                return g
        q = next((m for m in inside if m.kind == "quantity" and not getattr(m, "ordinal", False)), None)
        first = next(((a, w) for a, w, _ in self.tagged_verbs(words, s, e)), None)
        if first is None:  # no verb: its first verbal noun (2025年发展目标: a heading's act)
            verbs = self.pos_verbs(words, s, e, ("v", "vd", "vn"))
            if not verbs:
                return None
            first, before = verbs[0], [v for v in verbs if q and v[0] + len(v[1]) <= q.start][-1:]
        else:  # the verb nearest before the count, read back from the count
            last = q and next((v for v in self.tagged_verbs_back(words, s, q.start)
                               if v[0] + len(v[1]) <= q.start), None)
            before = [last] if last else []
        start, word = before[-1] if before and not self.acts.opener_between(
            nt.view, before[-1][0] + len(before[-1][1]), q.start) else first
        return _fallback(seg, start, word, "item.fallback.pos")

    def responsible(self, view: str, clauses: list[Clause] | tuple[Clause], head: Clause,
                    inside: list) -> list[str]:
        """Bodies marked responsible, else bodies before the act; never a body that 对/向/把 make
        the object of the act (市政府党组把自治区党委反馈问题整改作为…: 市政府党组 only)."""
        if not inside:
            return []
        act = head.act or head.action
        bodies = [m for m in inside if m.kind == "body"
                  and not self._in_object_phrase(view, clauses, head, m, act)]
        if not bodies:
            return []
        names = [b.name for b in bodies if b.role == "responsible"]
        if not names:
            names = [b.name for b in bodies if b.role == "participant" and b.end <= act.start]
        return list(dict.fromkeys(names))

    def _in_object_phrase(self, view: str, clauses: list[Clause] | tuple[Clause], head: Clause,
                          body, act: Verb) -> bool:
        """True when an object opener (对, 向, 把 …) stands between the clause start and the body,
        with no agent opener (由) after it, and the body comes before the act."""
        if body.start >= act.start:
            return False
        clause = next((c for c in clauses if c.start <= body.start < c.end), head)
        before = view[clause.start:body.start]
        rules = self.rules
        last_obj = max((before.rfind(o) for o in rules.object_of_act), default=-1)
        last_agent = max((before.rfind(o) for o in rules.agent_openers), default=-1)
        return last_obj > last_agent

    def task_of(self, view: str, c: Clause, times: list) -> str | None:
        """The act's object: what follows the verb in its clause (dates cut out), or, where the verb
        ends the clause or only a complement follows (问题已整改到位), the phrase before it."""
        rules = self.rules
        act = c.action
        after = (_cut(view, act.end, c.end, times) if times else view[act.end:c.end].strip()
                 ).lstrip(rules.aspect_chars).lstrip("”\"’")
        if act.word in rules.change_verbs and (
                rules.action_word(act.word, after) != rules.action_word(act.word)):
            after = after[1:]  # 提高到90%: the complement is the action's
        if not after or after[0] in self.complement_heads and after.startswith(rules.complements):
            before = _cut(view, c.start, (c.act or act).start, times)
            after = self._strip_adverbs(before)
        return self._head_phrase(after.strip(" ,;:、"))[:TASK_LIMIT] or None

    def _strip_adverbs(self, text: str) -> str:
        """The text without the adverbs that end it, the longest first, read by last character
        (`rules.ending`) instead of trying every adverb at every step."""
        while text and (a := ending(text, len(text), self.adverbs_ending)):
            text = text[: -len(a)]
        return text

    def _head_phrase(self, text: str) -> str:
        """The noun phrase a relative clause modifies (需要注意的18个问题 → 18个问题)."""
        rules = self.rules
        i = text.rfind(rules.attributive_marker)
        if i >= 0 and len(text) - i > 2 and not text[:i].endswith(rules.name_attributives):
            text = text[i + len(rules.attributive_marker):]
        return text

    def exhorts(self, view: str, c: Clause) -> str | None:
        """The id of the exhortation rule a clause's act matches (a stance, not a concrete act).
        `Records.sentences` asks only where the act's class or the action's is one some rule names
        (`ItemRules.exhort_classes`): most acts are passed over without a call."""
        act = c.act
        if act is None:
            return None
        for rule_id, classes, markers, objects in self.exhort_checks:
            if act.cls not in classes and c.action.cls not in classes:
                continue
            if (markers and markers.search(view, c.start, act.start)
                    or objects and objects.search(view, act.end, c.end)):
                return rule_id
        return None
