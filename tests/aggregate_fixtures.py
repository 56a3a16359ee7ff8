"""Hand-written extraction output folders for the aggregate, store and report tests.

A fixture document is composed text plus the records an extractor would give it; offsets are
found by searching the text (the k-th occurrence after the previous record), so the records stay
readable and always point at their characters.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

# Two provinces in one compilation, with an editor's note that speaks for neither.
COMPILATION = (
    "编者按：各地推进巡视巡察工作，本刊刊发两地做法。\n"
    "压实主体责任\n"
    "省委派出12个巡视组，对36个党组织开展常规巡视，共发现问题520个，"
    "向省纪委监委移交问题线索41件。省委巡视办制定整改措施88条，"
    "要求被巡视党组织在反馈后2个月内报送整改情况。目前整改完成率达96.5%。（甲省委）\n"
    "推动高质量发展\n"
    "省委组建巡察组30个，抽调优秀干部150名参加巡察，建立完善制度15项。"
    "去年已整改完成90%，今年整改完成率达98%。各市县党委于2024年12月31日前完成村级巡察全覆盖。"
    "（乙省委巡视工作领导小组）\n"
)
REGION_A, REGION_B = "河北省", "吉林省"


def _spans(text: str, regions: list[tuple[str, str, str]]) -> list[dict]:
    """Region segments from their first and last strings (as the gold format writes them)."""
    out = []
    for region, first, last in regions:
        start = text.index(first)
        end = text.index(last, start) + len(last)
        out.append({"region": region, "start": start, "end": end, "rule_id": "region.test"})
    return out


def _locate(text: str, records: list[dict]) -> list[dict]:
    """Give each record `start`/`end`: the next occurrence of its text after the previous one
    of the same list, or its explicit `at`."""
    pos, out = 0, []
    for rec in records:
        rec = dict(rec)
        start = rec.pop("at", None)
        start = text.index(rec["text"], pos) if start is None else start
        rec.update(start=start, end=start + len(rec["text"]))
        pos = start + 1
        out.append(rec)
    return out


def _region_at(spans: list[dict], offset: int) -> str | None:
    return next((s["region"] for s in spans if s["start"] <= offset < s["end"]), None)


def quantity(text: str, value: float, unit: str, counted: str | None = None, **kw) -> dict:
    return {"kind": "quantity", "text": text, "value": value, "unit": unit, "counted": counted,
            "rule_id": "quantity.test", **kw}


def measured(text: str, value: float, unit: str, measure: str, counted: str | None = None,
             scope: str = "total", status: str = "done", **kw) -> dict:
    """A quantity with the measure, scope and status extraction gave it (spec §5a)."""
    return quantity(text, value, unit, counted, measure=measure, scope=scope, status=status, **kw)


def time(text: str, time_kind: str, **kw) -> dict:
    return {"kind": "time", "text": text, "time_kind": time_kind, "rule_id": "time.test", **kw}


def body(text: str, name: str, role: str = "participant", **kw) -> dict:
    return {"kind": "body", "text": text, "name": name, "role": role, "level": "provincial",
            "rule_id": "body.test", **kw}


def item(text: str, action: str, category=(), responsible=(), **kw) -> dict:
    return {"text": text, "action": action, "category": list(category),
            "responsible": list(responsible), "rule_id": "item.test", **kw}


COMPILATION_MENTIONS = [
    body("省委", "河北省委", "responsible", item="i0001"),
    measured("12个", 12, "个", "inspection.groups", "巡视组", item="i0001"),
    measured("36个", 36, "个", "inspection.units", "党组织", item="i0002"),
    measured("520个", 520, "个", "problems.found", "问题", item="i0002"),
    body("省纪委监委", "河北省纪委监委", "target", item="i0003"),
    measured("41件", 41, "件", "leads.transferred", "问题线索", item="i0003"),
    body("省委巡视办", "河北省委巡视办", "responsible", item="i0004"),
    measured("88条", 88, "条", "rectification.measures", "整改措施", item="i0004"),
    time("反馈后2个月内", "deadline", offset="P2M", anchor="反馈", item="i0005"),
    measured("96.5%", 96.5, "%", "rectification.rate"),
    body("省委", "吉林省委", "responsible", item="i0006", at=COMPILATION.index("省委组建")),
    measured("30个", 30, "个", "inspection.groups", "巡察组", item="i0006"),
    measured("150名", 150, "名", "inspection.staff", "优秀干部", item="i0007"),
    measured("15项", 15, "项", "rules.issued", "制度", item="i0008"),
    measured("90%", 90, "%", "rectification.rate"),
    measured("98%", 98, "%", "rectification.rate"),
    time("2024年12月31日前", "deadline", start_date=None, end_date="2024-12-31", item="i0009"),
]
COMPILATION_ITEMS = [
    item("省委派出12个巡视组", "派出", ["上下联动"], ["河北省委"], id="i0001"),
    item("对36个党组织开展常规巡视，共发现问题520个", "开展", ["全覆盖"], id="i0002"),
    item("向省纪委监委移交问题线索41件", "移交", ["成果运用"], id="i0003"),
    item("省委巡视办制定整改措施88条", "制定", ["整改落实", "制度建设"], id="i0004"),
    item("要求被巡视党组织在反馈后2个月内报送整改情况", "报送", ["整改落实"], id="i0005"),
    item("省委组建巡察组30个", "组建", ["上下联动"], id="i0006"),
    item("抽调优秀干部150名参加巡察", "抽调", ["队伍建设"], ["吉林省委"], id="i0007",
         inherited=[{"name": "吉林省委", "mention_id": "m0011"}]),
    item("建立完善制度15项", "建立", ["制度建设"], id="i0008"),
    item("各市县党委于2024年12月31日前完成村级巡察全覆盖", "完成", ["全覆盖", "基层延伸"], id="i0009"),
]
COMPILATION_REGIONS = [(REGION_A, "压实主体责任", "（甲省委）"),
                       (REGION_B, "推动高质量发展", "（乙省委巡视工作领导小组）")]


def write_outputs(folder: Path, docs: list[dict], texts: bool = True) -> Path:
    """An output folder `folder/out` for documents given as dicts with `name`, `text`,
    `regions`, `mentions`, `items` (and optional `reference_date`, `title`, `rectifications`:
    ledger records as JSON); the texts go to `texts.jsonl` (none without `texts`: an output
    folder of an older xunshi) and `path` is `src/<name>`, where no file is: tables read the
    outputs alone."""
    out = folder / "out"
    out.mkdir(parents=True, exist_ok=True)
    lines = {"documents": [], "mentions": [], "items": [], "rectifications": [],
             **({"texts": []} if texts else {})}
    for doc in docs:
        _one_document(doc, lines)
    for name, rows in lines.items():
        with open(out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (out / "errors.jsonl").write_text("", encoding="utf-8")
    return out


def _one_document(doc: dict, lines: dict) -> None:
    text, path = doc["text"], f"src/{doc['name']}"
    if "texts" in lines:
        lines["texts"].append({"doc_id": path, "text": text})
    spans = _spans(text, doc.get("regions", []))
    lines["documents"].append({
        "doc_id": path, "path": path, "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "title": doc.get("title", doc["name"]), "script": "simplified", "chars": len(text),
        "reference_date": doc.get("reference_date", "2024-06-30"),
        "reference_date_source": "manifest", "regions": spans, "headings": []})
    items = {}
    for it in _locate(text, doc.get("items", [])):
        item_id = it.pop("id")
        items[item_id] = {**it, "doc_id": path, "item_id": item_id,
                          "region": _region_at(spans, it["start"]), "mention_ids": []}
    for n, m in enumerate(_locate(text, doc.get("mentions", [])), 1):
        item_id = m.pop("item", None)
        rec = {**m, "doc_id": path, "mention_id": f"m{n:04d}", "item_id": item_id,
               "region": _region_at(spans, m["start"]), "source": "rule", "score": 0.9}
        if item_id:
            items[item_id]["mention_ids"].append(rec["mention_id"])
        lines["mentions"].append(rec)
    lines["items"].extend(items.values())
    lines["rectifications"].extend(doc.get("rectifications", []))


def _figure(measure: str, text: str, value: float, mention_id: str, unit: str) -> dict:
    start = COMPILATION.index(text)
    ev = {"mention_id": mention_id, "text": text, "start": start, "end": start + len(text),
          "value": value, "unit": unit, "measure": measure, "rule_id": "quantity.test"}
    return {"measure": measure, "value": value, "unit": unit, "combine": "single", "evidence": [ev],
            "rule_id": "ledger.figure.single"}


def compilation_ledger(doc_id: str) -> list[dict]:
    """Two ledger records of the compilation (what the ledger would give it, written by hand):
    region A's body with figures and a deadline, region B's without a body."""
    from pipeline.ledger import link
    from pipeline.records import Rectification

    at = COMPILATION.index("省委")
    a = {"record_id": f"{doc_id}#1", "doc_id": doc_id, "notice": "progress",
         "document_date": "2024-06-30", "region": REGION_A,
         "body": {"name": "河北省委", "key": "河北省", "level": "provincial", "mention_id": "m0001",
                  "text": "省委", "start": at, "end": at + 2, "mention_ids": ["m0001"],
                  "rule_id": "ledger.body.target"},
         "deadline": {"end_date": "2024-03-31", "mention_id": "m0009", "text": "反馈后2个月内",
                      "start": COMPILATION.index("反馈后2个月内"), "end": COMPILATION.index("反馈后2个月内") + 7,
                      "offset": "P2M", "anchor": "反馈"},
         "problems": _figure("problems.found", "520个", 520, "m0004", "个"),
         "measures": _figure("rectification.measures", "88条", 88, "m0008", "条"),
         "rate": _figure("rectification.rate", "96.5%", 96.5, "m0010", "%"),
         "leads": _figure("leads.transferred", "41件", 41, "m0006", "件"),
         "mention_ids": ["m0001", "m0004", "m0006", "m0008", "m0009", "m0010"]}
    b = {"record_id": f"{doc_id}#2", "doc_id": doc_id, "notice": "progress",
         "document_date": "2024-06-30", "region": REGION_B, "body": None, "reason": "no_candidate",
         "rules": _figure("rules.issued", "15项", 15, "m0014", "项"), "mention_ids": ["m0014"]}
    recs = link([Rectification.model_validate(r) for r in (a, b)])
    return [r.model_dump(mode="json") for r in recs]


def compilation(folder: Path, texts: bool = True, extra: list[dict] | None = None) -> Path:
    """The two-province compilation as an output folder, with its ledger records."""
    doc = {"name": "汇编.txt", "text": COMPILATION, "regions": COMPILATION_REGIONS,
           "mentions": COMPILATION_MENTIONS, "items": COMPILATION_ITEMS, "title": "两地做法",
           "rectifications": compilation_ledger("src/汇编.txt")}
    return write_outputs(folder, [doc, *(extra or [])], texts)
