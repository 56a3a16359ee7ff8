"""The trained body component: deterministic training, the data formats, and the merge policy."""
from __future__ import annotations

import json

import pytest

from pipeline.context.document import Context
from pipeline.extractors.bodies import Bodies
from pipeline.model import data, predict, train

TINY = [
    data.Example("省委巡视组对省财政厅开展巡视。", [(0, 5), (6, 10)]),
    data.Example("市委巡察办牵头制定办法。", [(0, 5)]),
    data.Example("县纪委监委对问题线索进行处置。", [(0, 5)]),
    data.Example("推动经济高质量发展。", []),
    data.Example("市水务集团制定了整改方案。", [(0, 5)]),
    data.Example("校党委向化学学院反馈意见。", [(0, 3), (4, 8)]),
]


def tiny_train(seed: int):
    """A few updates on six sentences: enough to compare two runs, done in seconds."""
    import random

    from spacy.util import fix_random_seed, minibatch

    nlp = train.build(seed, width=16, rows=500)
    examples = train._examples(nlp, TINY)
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for epoch in range(3):
        fix_random_seed(seed + epoch)
        rng.shuffle(examples)
        for batch in minibatch(examples, size=3):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    return nlp


def scores(nlp) -> list:
    nlp.get_pipe("spancat").cfg["threshold"] = 0.0
    return [[(s, e, round(p, 6)) for s, e, p in predict.spans_of(nlp, ex.text)] for ex in TINY]


def test_same_seed_same_predictions():
    assert scores(tiny_train(0)) == scores(tiny_train(0))


def test_suggester_proposes_spans_ending_at_organ_heads():
    import spacy

    from pipeline.model.net import _doc_spans

    heads = Bodies(use_model=False).spec.model.heads
    doc = predict.char_doc(spacy.blank("zh"), "省委巡视组对省财政厅开展巡视。")
    spans = _doc_spans(doc, 16, set(heads))
    assert {doc[e - 1].text for _, e in spans} <= set(heads)
    assert {doc[s:e].text for s, e in spans} >= {"省委巡视组", "省财政厅"}
    assert not any("。" in doc[s:e].text for s, e in spans)


def test_composed_file_is_well_formed():
    rows = data.composed()
    assert rows and {r.split for r in rows} == {"train", "test"}
    for r in rows:
        assert all(0 <= s < e <= len(r.text) for s, e in r.spans)


def test_corrections_file_is_well_formed():
    for fix in data.corrections():
        assert set(fix) == {"doc", "text", "action", "reason"} and fix["action"] in ("add", "remove")


def test_dev_gold_documents_are_never_training_text():
    names = {p.name for p in data.silver_files()}
    assert not names & data.dev_gold_docs()


@pytest.mark.parametrize("fixes, expected", [
    ([{"doc": "*", "text": "国家开发银行", "action": "add", "reason": ""}], [(0, 6), (7, 9)]),
    ([{"doc": "*", "text": "省委", "action": "remove", "reason": ""}], []),
])
def test_apply_corrections(fixes, expected):
    view = "国家开发银行与省委签约"
    assert data.apply_corrections(view, [(7, 9)], fixes) == expected


def test_merge_policy_rules_win_and_model_mentions_are_marked():
    """A model span overlapping a rule mention is dropped; one elsewhere is kept with its score."""
    text = "省委巡视组对光明研究所开展巡视。"

    def fake_predict(view, config, covered=None, edges=()):
        return [(0, 3, 0.9), (6, 11, 0.8), (12, 14, 0.2)]

    merged = Bodies(predict=fake_predict)
    found = merged.extract(Context.of(text))
    got = {(b.text, b.source, b.score) for b in found}
    assert ("省委巡视组", "rule", 1.0) in got
    assert ("光明研究所", "model", 0.8) in got
    assert not any(b.source == "model" and b.start == 0 for b in found)
    rules_only = {b.text for b in Bodies(use_model=False).extract(Context.of(text))}
    model_added = {b.text for b in found if b.source == "model"}
    assert model_added.isdisjoint(rules_only)
    assert all(b.score >= merged.model.threshold for b in found if b.source == "model")


def test_model_missing_means_rules_alone(tmp_path):
    assert predict.load(str(tmp_path)) is None
    cfg = Bodies(use_model=False).spec.model.model_copy(update={"path": str(tmp_path)})
    assert predict.predict("省委巡视组对市城投集团开展巡视。", cfg) == []


def test_model_path_is_an_option_of_the_extractor(tmp_path):
    assert Bodies(model_path=str(tmp_path)).extract(Context.of("省委巡视组对光明研究所开展巡视。"))


def test_trained_artefact_has_metrics():
    path = predict.MODEL_DIR
    if not (path / "config.cfg").exists():
        pytest.skip("no trained model in models/bodies")
    metrics = json.loads((path / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["composed_test"]["n"] > 0


@pytest.mark.parametrize("score, expected", [
    (0.9, ("青湖农村信用联社党委", "model")),   # reaches extend_threshold: the longer name wins
    (0.6, ("党委", "rule")),                   # below it: the rule mention stands
])
def test_merge_policy_model_extends_a_rule_mention(score, expected):
    """A model span that contains a rule mention replaces it only above `extend_threshold`."""
    text = "青湖农村信用联社党委研究整改方案。"
    found = Bodies(predict=lambda *args: [(0, 10, score)]).extract(Context.of(text))
    assert [(b.text, b.source) for b in found] == [expected]
    if expected[1] == "model":
        assert "extends body.committee.bare" in found[0].explanation


def test_uncertain_edges_are_rule_mentions_after_a_name_character():
    from pipeline.extractors.base import select
    from pipeline.extractors.bodies import _rule_first

    view = "督促青湖农村信用联社党委整改,市委召开会议。"
    b = Bodies(use_model=False)
    cands = select(b.rule_candidates(view, b.r.places), _rule_first)
    edges = b.uncertain_edges(view, cands)
    assert [view[e:e + 2] for e in edges] == ["党委"]


def test_windows_cover_uncovered_heads_only():
    """The model reads a window around an organ head outside the rules' mentions, inside its
    sentence; a sentence whose heads are all covered is not read."""
    import re

    from pipeline.model.predict import BEFORE, _windows

    view = "省委巡视组召开会议。青湖农村信用联社党委研究整改方案。"
    covered = bytearray(len(view))
    covered[0:5] = b"\x01" * 5
    trigger = re.compile("组|委")
    got = list(_windows(view, trigger, covered, []))
    second = view.index("青")
    assert got == [(max(second, view.index("党委") + 1 - BEFORE), len(view) - 1)]
    assert list(_windows(view, trigger, covered, [2])) == [(0, 9), *got]


@pytest.mark.parametrize("names", [3, 200, 2000])
def test_windows_stay_short_in_a_sentence_of_organ_names(names):
    """Organ names without punctuation once merged into one window of the whole text (the model
    then held about 37 KB per character): windows stop at MAX_WINDOW, overlap so that no name is
    cut, and batches stop at BATCH_CHARS, so memory does not grow with the sentence."""
    import re

    from pipeline.model.predict import AFTER, BATCH_CHARS, BEFORE, MAX_WINDOW, _batches, _windows

    view = "市委组织部县委宣传部" * names
    got = list(_windows(view, re.compile("部"), None, []))
    assert all(e - s <= MAX_WINDOW + BEFORE + AFTER for s, e in got)
    assert got[0][0] == 0 and got[-1][1] == len(view)
    for t in re.finditer("部", view):  # each head is read with all its context, as before
        lo, hi = max(0, t.start() - BEFORE), min(len(view), t.start() + AFTER)
        assert any(s <= lo and hi <= e for s, e in got)
    assert all(sum(e - s for s, e in batch) <= BATCH_CHARS for batch in _batches(iter(got)) if len(batch) > 1)


def test_the_model_is_loaded_only_for_a_text_with_a_window(monkeypatch):
    """spaCy and the model cost half a second: a text with no organ head left to read (a
    one-sentence call of `pipeline.extract`) never loads them."""
    loaded = []
    monkeypatch.setattr(predict, "load", loaded.append)
    config = Bodies(use_model=True).model
    assert predict.predict("今年经济增长百分之五。", config) == [] and loaded == []
    assert predict.predict("青湖农村信用联社党委研究整改方案。", config) == [] and loaded


@pytest.mark.parametrize("text", [
    "省委巡视组对省财政厅开展巡视。",
    "会议指出,要加强青湖农村信用联社党委的领导",
    "推动经济高质量发展",
    "市委组织部,县委宣传部",
    "委",
    "中华人民共和国某某省某某市某某县某某镇某某村党支部委员会",
    "党委\xa0市委 县委\t区委\u3000组",
])
def test_suggested_spans_read_on_characters_are_the_suggesters(text):
    """`char_ends` tells on characters the spans the suggester proposes on a character Doc, in
    the same order, and `span_lengths` their lengths."""
    import numpy as np
    import spacy

    from pipeline.model.net import _doc_spans, char_ends, span_lengths

    heads = frozenset(Bodies(use_model=False).spec.model.heads)
    spans = _doc_spans(predict.char_doc(spacy.blank("zh"), text), 16, heads)
    ends = char_ends(text, 16, heads)
    assert [[e - k, e] for e, n in ends for k in range(1, n + 1)] == spans
    lengths = span_lengths(np.array([n for _, n in ends], dtype="i"))
    assert lengths.tolist() == [e - s for s, e in spans]


@pytest.mark.parametrize("view", [
    "今年以来,全市上下认真落实青湖农村信用联社党委和市委巡察办的部署要求,推动整改落到实处。",
    "督促县交通运输局、县水利局党组抓好整改,研究制定长效机制,形成工作合力和良好态势。",
])
def test_a_trimmed_window_scores_as_the_whole_window(view, monkeypatch):
    """Cutting a window to its suggested spans and what their encoding sees leaves every score
    the same to the last bit (float.hex), at any threshold."""
    from pipeline.model.net import char_ends

    config = Bodies(use_model=True).model.model_copy(update={"threshold": 0.0})
    if predict.load(str(predict.data_path(config.path))) is None:
        pytest.skip("no trained model")
    nlp = predict.load(str(predict.data_path(config.path)))
    windows = list(predict._windows(view, predict._trigger(config.trigger), None, []))
    assert [w[:2] for w in predict._trimmed(view, windows, predict._reading(nlp))] != windows
    trimmed = [(s, e, p.hex()) for s, e, p in predict.predict(view, config)]
    whole = [(s, e, char_ends(view[s:e], *predict._reading(nlp)[:2])) for s, e in windows]
    monkeypatch.setattr(predict, "_trimmed", lambda view, windows, reading: whole)
    whole = [(s, e, p.hex()) for s, e, p in predict.predict(view, config)]
    assert trimmed == whole and trimmed


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.77])
def test_scores_read_without_span_groups_are_the_pipelines(threshold, monkeypatch):
    """`_scored` reads the span categoriser's scores as the annotated Docs give them (`_best`):
    the same spans and probabilities to the last bit, at any threshold."""
    from pipeline.model.net import char_ends

    config = Bodies(use_model=True).model
    nlp = predict.load(str(predict.data_path(config.path)))
    if nlp is None:
        pytest.skip("no trained model")
    view = "督促县交通运输局、县水利局党组抓好整改。青湖农村信用联社党委和市委巡察办研究方案。"
    max_size, heads, _ = predict._reading(nlp)
    chunk = [(s, e, char_ends(view[s:e], max_size, heads)) for s, e in [(0, 20), (21, len(view) - 1)]]
    monkeypatch.setitem(nlp.get_pipe("spancat").cfg, "threshold", threshold)
    docs = nlp.pipe([predict.char_doc(nlp, view[s:e]) for s, e, _ in chunk])
    expected = [(off + s, off + e, p.hex()) for (off, *_), d in zip(chunk, docs)
                for s, e, p in predict._best(d)]
    got = [(s, e, p.hex()) for s, e, p in predict._scored(nlp, view, chunk, threshold)]
    assert got == expected and (expected or threshold > 0.5)


@pytest.mark.parametrize("view, covered, edges", [
    ("省委巡视组召开会议。青湖农村信用联社党委研究整改方案;市总工会和县妇联参加", (0, 5), [12]),
    ("督促县交通运输局、县水利局党组抓好整改\n研究院和支队的组织建设", (3, 8), [9, 30]),
    ("委员会。。党委;", None, [4, 5]),
    ("大力发展工业,工会和大学;党建工作由党委、总体上由总队和集中的集团负责", None, []),
])
def test_one_scan_finds_the_points_a_scan_per_statement_finds(view, covered, edges):
    """The triggers found in one scan of the text are those matched statement by statement."""
    config = Bodies(use_model=True).model
    trigger = predict._trigger(config.trigger)
    busy = None
    if covered:
        busy = bytearray(len(view))
        busy[covered[0]:covered[1]] = b"\x01" * (covered[1] - covered[0])
    got = predict._statement_points(view, trigger, busy, edges)
    assert got == predict._points_by_statement(view, trigger, busy, edges) and got


def test_network_scores_a_window_alike_alone_in_a_batch_and_with_a_fresh_table(monkeypatch):
    """A window's scores do not depend on the windows scored with it, nor on which characters
    the table of embeddings already held (it starts afresh past `Network.KEEP`)."""
    from pipeline.model.net import Network, char_ends

    config = Bodies(use_model=True).model
    nlp = predict.load(str(predict.data_path(config.path)))
    if nlp is None:
        pytest.skip("no trained model")
    heads = frozenset(config.heads)
    texts = ["督促县交通运输局、县水利局党组", "青湖农村信用联社党委和市委巡察办", "省委巡视组"]
    spans = [char_ends(t, 16, heads) for t in texts]
    net = Network(nlp)
    together = [p.hex() for p in net.scores(texts, spans)[:, 0].tolist()]
    alone = [p.hex() for t, s in zip(texts, spans) for p in Network(nlp).scores([t], [s])[:, 0].tolist()]
    monkeypatch.setattr(Network, "KEEP", 20)
    net, fresh, held = Network(nlp), [], []
    for t, s in zip(texts, spans):
        fresh += [p.hex() for p in net.scores([t], [s])[:, 0].tolist()]
        held.append(len(net.rows))
    assert together == alone == fresh
    assert held[1] == len(set(texts[1])) < held[0] + held[1]  # the table started afresh


@pytest.mark.parametrize("rows, width, expected", [
    ("..x....", 1, ".xxx..."),
    ("x.....x", 1, "xx...xx"),
    ("...x..x", 2, ".xxxxxx"),
    (".......", 3, "......."),
])
def test_widened_marks_the_rows_a_window_reads(rows, width, expected):
    import numpy as np

    from pipeline.model.net import _widened

    got = _widened(np.array([c == "x" for c in rows]), width)
    assert "".join("x" if b else "." for b in got) == expected


@pytest.mark.parametrize("chars", ["省委巡视组", "“A”x。,X ", "ⅡＡａ\u3000\t"])
def test_characters_embedded_without_a_doc_as_on_a_doc(chars):
    """`Network._embedded` gives each character the embed layer's vector on a character Doc,
    to the last bit: capitals, quotes and marks whose NORM is another string included."""
    from spacy.tokens import Doc

    from pipeline.model.net import Network

    nlp = predict.load(str(predict.data_path(Bodies(use_model=True).model.path)))
    if nlp is None:
        pytest.skip("no trained model")
    net, words = Network(nlp), list(chars)
    on_doc = net.embed.predict([Doc(nlp.vocab, words=words, spaces=[False] * len(words))])[0]
    assert net._embedded(words).tobytes() == on_doc.tobytes()


@pytest.mark.parametrize("lengths", [[1], [1, 2, 3], [16, 1, 5], [7, 8, 9, 15, 17, 31, 32, 33]])
def test_maxima_are_thincs_reduce_max(lengths):
    """`_maxima` of spans laid end to end (and of the same spans read out of order) are the
    values thinc's `reduce_max` walks to, at any length."""
    import numpy as np
    from thinc.api import NumpyOps

    from pipeline.model.net import _maxima

    rng = np.random.default_rng(len(lengths))
    n = np.array(lengths, dtype="i")
    X = rng.standard_normal((int(n.sum()) + 3, 8)).astype("f")
    first = np.cumsum(n) - n
    expected = NumpyOps().reduce_max(X[:int(n.sum())], n)[0]
    assert _maxima(np, X, first, n).tobytes() == expected.tobytes()
    flip = np.arange(len(n))[::-1]
    assert _maxima(np, X, first[flip], n[flip]).tobytes() == expected[flip].tobytes()


@pytest.mark.parametrize("view", [
    "今年以来,全市上下认真落实青湖农村信用联社党委和市委巡察办的部署要求,推动整改落到实处。",
    "督促县交通运输局、县水利局党组抓好整改,研究制定长效机制,形成工作合力和良好态势。",
    "委员会。党委;市委组织部县委宣传部市政府办公室和区人大常委会办公室主任会议",
])
def test_a_cut_window_keeps_the_spans_read_on_it(view):
    """The spans `_trimmed` gives a cut window (shifted from the whole window's) are those
    `char_ends` reads on the cut window itself."""
    from pipeline.model.net import char_ends

    config = Bodies(use_model=True).model
    reading = (16, frozenset(config.heads), 3)
    windows = list(predict._windows(view, predict._trigger(config.trigger), None, []))
    cut = predict._trimmed(view, windows, reading)
    assert cut and all(ends == char_ends(view[s:e], 16, reading[1]) for s, e, ends in cut)


@pytest.mark.parametrize("rows, scale", [(1, 1.0), (7, 0.001), (300, 50.0)])
def test_maxout_blocks_run_as_thincs(rows, scale):
    """`_maxout_normed` (thinc's maxout, then `_layer_norm`) gives each of the network's maxout
    blocks' outputs to the last bit: the encoder's layers' and the reducer's hidden layer's."""
    import numpy as np

    from pipeline.model.net import Network, _maxout_normed

    nlp = predict.load(str(predict.data_path(Bodies(use_model=True).model.path)))
    if nlp is None:
        pytest.skip("no trained model")
    net = Network(nlp)
    rng = np.random.default_rng(rows)
    for block in [b.layers[0].layers[1] for b in net.encode.layers] + [net.hidden]:
        X = (rng.standard_normal((rows, block.layers[0].layers[0].get_dim("nI"))) * scale).astype("f")
        assert _maxout_normed(block, X).tobytes() == block.predict(X).tobytes()
