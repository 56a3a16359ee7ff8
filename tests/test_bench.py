"""The benchmark's arithmetic and corpus copies (the measurement itself is `xunshi bench`)."""
from __future__ import annotations

from pathlib import Path

from pipeline import bench
from pipeline.reading.files import find_files


def _run(cps, rss_worker, rss_parent=300.0, docs=3):
    return {"workers": 2, "use_model": True, "documents": docs, "chars": 1000, "load_s": 1.0,
            "extract_s": 1.0, "cps": cps, "cpu_cps": cps * 2, "cpu_s": 1.0, "loadavg": 1.0,
            "rss_parent_mb": rss_parent, "rss_worker_mb": rss_worker}


def test_ratios_and_report():
    r = {"corpus": ["c"], "cores": 2, "chars": 1000, "jieba_lcut_cps": 400_000, "jieba_lcut_cpu_cps": 800_000,
         "jieba_view_cps": 420_000,
         "rjieba_view_cps": 8_000_000, "rjieba_token_agreement": 0.9998, "backend": "rjieba",
         "runs": {"model_1": _run(120_000, 0.0), "rules_1": _run(200_000, 0.0),
                  "workers_2": _run(216_000, 400.0), "x10_workers_2": _run(220_000, 420.0, 330.0)}}
    r.update(bench.ratios(r, workers=2, use_model=True, times=10))
    assert (r["model_vs_jieba"], r["rules_vs_jieba"], r["speedup_2_workers"]) == (0.3, 0.5, 1.8)
    assert (r["model_vs_jieba_cpu"], r["rules_vs_jieba_cpu"]) == (0.3, 0.5)
    assert (r["rss_worker_x10_vs_x1"], r["rss_parent_x10_vs_x1"]) == (1.05, 1.1)
    text = bench.format_report(r)
    assert "x10_workers_2" in text and "speedup_2_workers: 1.8" in text and "99.980%" in text


def test_start_up_and_whole_process_ratios_and_report():
    r = {"corpus": ["c"], "cores": 2, "chars": 1000, "jieba_lcut_cps": 400_000, "jieba_lcut_cpu_cps": 800_000,
         "jieba_view_cps": 420_000, "rjieba_view_cps": 8_000_000, "rjieba_token_agreement": 0.9998,
         "backend": "rjieba",
         "runs": {"model_1": _run(120_000, 0.0), "rules_1": {**_run(200_000, 0.0), "cpu_s": 0.5},
                  "workers_2": _run(216_000, 400.0), "x10_workers_2": _run(220_000, 420.0, 330.0)},
         "jieba_whole": {"wall_s": 1.0, "cpu_s": 0.75, "rss_mb": 90.0, "cpu_s_samples": [0.75]},
         "startup": {"jieba_load": {"wall_s": 0.8, "cpu_s": 0.7, "rss_mb": 94.0, "wall_s_samples": [0.8]},
                     "one_document": {"wall_s": 1.0, "cpu_s": 0.9, "rss_mb": 120.5, "wall_s_samples": [1.0]},
                     "one_document_cold": {"wall_s": 5.0, "cpu_s": 4.9, "rss_mb": 380.0}, "chars": 19},
         "api": {"chars": 1000, "documents": 2, "ms_per_1k_first": 7.5, "ms_per_1k_again": 6.5}}
    r.update(bench.ratios(r, workers=2, use_model=True, times=10))
    assert (r["one_document_vs_jieba_load_wall"], r["one_document_rss_mb"]) == (1.25, 120.5)
    assert (r["whole_process_model_1_vs_jieba_cpu"], r["whole_process_rules_1_vs_jieba_cpu"]) == (0.75, 1.5)
    text = bench.format_report(r)
    assert "one sentence (19 chars): 1.00 s wall" in text and "7.5 ms CPU per 1,000 chars" in text
    assert "one_document_vs_jieba_load_wall: 1.25" in text


def test_a_whole_process_is_measured_on_its_own():
    """A child's peak RSS is its own, not that of the (large) process that starts it."""
    import sys

    held = b"x" * (150 * 2**20)  # this process: 150 MB more
    big = bench.whole_process([sys.executable, "-c", "x = b'x' * (200 * 2**20)"])
    small = bench.launch([sys.executable, "-c", "print('out')"])
    assert big["rss_mb"] > 200 and small["rss_mb"] < 100 < len(held) / 2**20 and small["wall_s"] > 0
    assert small["stdout"] == "out\n"


def test_replicate_makes_distinct_documents(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("省委巡视组。", encoding="utf-8")
    (src / "sub" / "b.docx").write_bytes(b"x")
    many = bench.replicate([src], 3, tmp_path / "many")
    found = [p for p, _ in find_files([many])]
    assert len(found) == 6 and {p.suffix for p in found} == {".txt", ".docx"}
    assert {p.read_text(encoding="utf-8") for p in found if p.suffix == ".txt"} == {"省委巡视组。"}


def test_jieba_scaling_is_a_ratio():
    assert bench.jieba_scaling(["省委巡视组反馈后2个月内报送整改情况。"] * 8, 2) > 0


def test_segmenters_measure_both_backends():
    docs = ["省委巡视组反馈后2个月内报送整改情况。", "增加编制30个。"]
    got = bench.segmenters(docs)
    assert got["rjieba_token_agreement"] == 1.0
    assert got["chars"] == 27 and bench.bare_jieba(docs)[0] > 0


def test_profile_attributes_time_to_stages(tmp_path):
    (tmp_path / "a.txt").write_text("（某某省委）\n2024年3月,省委第二巡视组对甲市开展巡视,"
                                    "发现问题12个,要求反馈后2个月内完成整改。\n" * 20, encoding="utf-8")
    text = bench.profile([str(tmp_path)], use_model=False)
    head = text.split("\n\n")[0].splitlines()[1:]
    table = {line[:26].strip(): float(line[26:35]) for line in head}
    stages = ("segment", "quantities", "times", "bodies", "items", "serialise")
    assert set(stages) <= set(table), text  # every stage's entry points were found and timed
    assert all(table[s] >= 0 for s in stages) and sum(table[s] for s in stages) > 0, text
    assert "of which the model" not in table


def test_median_by_keeps_every_rounds_figure():
    got = bench.median_by([{"wall_s": 0.9}, {"wall_s": 0.7}, {"wall_s": 1.1}], "wall_s")
    assert got == {"wall_s": 0.9, "wall_s_samples": [0.9, 0.7, 1.1]}


def test_median_run_keeps_every_rounds_speed():
    runs = [_run(90_000, 0.0), _run(70_000, 0.0), _run(110_000, 0.0)]
    got = bench.median_run(runs)
    assert got["cps"] == 90_000 and got["cps_samples"] == [90_000, 70_000, 110_000]
    assert "90,000 / 70,000 / 110,000" in bench._samples(got["cps_samples"])


def test_a_new_words_run_has_every_kept_table_but_the_pos_tags(tmp_path, monkeypatch):
    from pipeline.context.lexicon import TAGS

    monkeypatch.setenv("XUNSHI_CACHE", str(tmp_path / "cache"))
    tags = TAGS.path()
    tags.write_bytes(b"tags")
    (tmp_path / "cache" / "regex-0.marshal").write_bytes(b"regexes")
    env = bench.new_words_cache(tmp_path / "copy")
    assert env["XUNSHI_CACHE"] == str(tmp_path / "copy")
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == ["regex-0.marshal"]
    assert tags.exists()  # the user's own folder keeps its table
    monkeypatch.setenv("XUNSHI_CACHE", "off")
    assert bench.new_words_cache(tmp_path / "copy2") is None


def test_the_new_words_run_gets_its_own_ratio():
    r = {"corpus": ["c"], "cores": 2, "chars": 1000, "jieba_lcut_cps": 400_000, "jieba_lcut_cpu_cps": 800_000,
         "jieba_view_cps": 420_000, "rjieba_view_cps": 8_000_000, "rjieba_token_agreement": 0.9998,
         "backend": "rjieba",
         "runs": {"model_1": _run(120_000, 0.0), "rules_1": _run(200_000, 0.0),
                  "workers_2": _run(216_000, 400.0), "x10_workers_2": _run(220_000, 420.0, 330.0),
                  bench.NEW_WORDS: _run(180_000, 0.0)}}
    r.update(bench.ratios(r, workers=2, use_model=True, times=10))
    assert (r["rules_vs_jieba_cpu"], r["rules_new_words_vs_jieba_cpu"]) == (0.5, 0.45)
    text = bench.format_report(r)
    assert "rules_1_new_words" in text and "rules_new_words_vs_jieba_cpu: 0.45" in text


def test_every_run_writes_into_a_new_folder_removed_after_it(tmp_path, monkeypatch):
    seen = []

    def launch(cmd, env=None):
        out = Path(cmd[cmd.index("--out") + 1])
        assert out.is_dir() and out.parent == tmp_path and out.name.startswith("rules_1-")
        (out / "items.jsonl").write_text("{}\n")
        seen.append(out)
        return {"stdout": '{"cps": 1}\n'}

    monkeypatch.setattr(bench, "launch", launch)
    runs = [bench.run_child([tmp_path], 1, False, tmp_path, "rules_1") for _ in range(2)]
    assert runs == [{"cps": 1}, {"cps": 1}]
    assert seen[0] != seen[1] and not any(p.exists() for p in seen)
