"""The `xunshi` command. Heavy modules are imported inside commands so `--help` stays fast."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from pipeline.errors import Exit, XunshiError

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpora"
DEFAULT_OUT = Path("outputs")


def default_corpus() -> Path:
    """The bundled corpus, written relative to the working directory when it lies below it,
    so that the paths recorded in the outputs are the same on every clone."""
    import os

    try:
        rel = Path(os.path.relpath(DEFAULT_CORPUS))
    except ValueError:  # another drive
        return DEFAULT_CORPUS
    return DEFAULT_CORPUS if rel.parts[:1] == ("..",) else rel


def _iso_date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


class Failure(click.ClickException):
    """One line on stderr (`Error: <path>: <reason>`) and the exit code of its cause."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = int(exit_code)


class Commands(click.Group):
    """The `xunshi` group: an error of xunshi's own (`pipeline.errors`) ends any command with
    one line and the exit code of its kind, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except XunshiError as exc:
            raise Failure(str(exc), exc.exit) from None


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xunshi")
def main():
    """xunshi: structured, source-grounded data from Chinese inspection reports."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="output folder for documents/mentions/items/errors .jsonl and run.json; "
                   "`-`: one JSON document a line on stdout")
@click.option("--reference-date", callback=_iso_date, help="date that relative times resolve against "
              "(replaces the manifest's publish_date)")
@click.option("--region", help="province-level region for documents that do not name one")
@click.option("-q", "--quiet", is_flag=True, help="no progress or summary line")
@click.option("-w", "--workers", type=click.IntRange(min=1), default=None,
              help="worker processes (default: the number of cores)")
@click.option("--doc-timeout", type=float, default=60.0, show_default=True,
              help="seconds one document may take before it is reported and skipped")
@click.option("--max-memory", type=float, default=1200, show_default=True,
              help="megabytes a worker may hold before its document is reported and skipped")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786)")
@click.option("--force", is_flag=True, help="redo documents already extracted with the same rules")
@click.option("--no-model", is_flag=True, help="rules only: skip the statistical components")
def extract(paths, out, reference_date, region, quiet, workers, doc_timeout, max_memory, engine,
            scheduler, force, no_model):
    """Extract records from every report under PATHS (default: the bundled corpora/)."""
    from pipeline.errors import Exit, XunshiError
    from pipeline.run.batch import Interrupted, run

    paths = list(paths) or [default_corpus()]
    try:
        summary = run(paths, out, reference_date=reference_date, region=region, quiet=quiet,
                      workers=workers, doc_timeout=doc_timeout, engine=engine, scheduler=scheduler,
                      force=force, use_model=not no_model, max_memory=max_memory)
    except XunshiError as exc:  # bad input, output, installation or rules: one line, its code
        _fail(str(exc), exc.exit)
    except Interrupted as exc:
        _fail(str(exc), Exit.INTERRUPTED)
    if not quiet:
        click.echo(summary_line(summary, out), err=True)
    if summary["documents"] == 0:
        where = "stdout" if str(out) == "-" else out / "errors.jsonl"
        _fail(f"no document could be read ({summary['failed']} failed: see the lines above and {where})",
              Exit.INPUT)


def _fail(message: str, code: int) -> None:
    click.echo(f"xunshi: {message}", err=True)
    sys.exit(int(code))


def summary_line(s: dict, out) -> str:
    """What a run did, in one line."""
    where = "stdout" if str(out) == "-" else out
    line = (f"{s['documents']} documents ({s['cached']} cached), {s['failed']} failed, "
            f"{s['mentions']:,} mentions, {s['items']:,} items, {s['chars']:,} chars in {s['seconds']} s "
            f"→ {where}")
    if s.get("manifest_problems"):
        line += f"; {s['manifest_problems']} manifest problems"
    if s.get("reference_date_overrode"):
        line += f"; --reference-date replaced the manifest's publish_date of {s['reference_date_overrode']} documents"
    return line


@main.command()
@click.option("--type", "kind", default=None,
              help="one record type (document, quantity, …) or table (metrics, coverage, …)")
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "markdown"]), default="json",
              show_default=True, help="markdown: the field reference of the README")
def schema(kind, fmt):
    """Print the JSON Schema of every record type and comparison table (or of one), for other
    tools; every field and column is described."""
    from pipeline.compare.schema import markdown, schema as full_schema, type_names

    if kind is not None and kind not in type_names():
        raise Failure(f"--type {kind}: no such record type or table; the types are "
                      f"{', '.join(type_names())}", Exit.USAGE)
    if fmt == "markdown":
        click.echo(markdown(), nl=False)
    else:
        click.echo(json.dumps(full_schema(kind), ensure_ascii=False, indent=2))


@main.command("eval")
@click.option("--gold", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--docs", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--pred", required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="print the summary as JSON only")
@click.option("--errors", type=click.Path(dir_okay=False, path_type=Path),
              help="also write every disagreement (missed, spurious, wrong attribute) as JSON Lines")
def eval_(gold, docs, pred, as_json, errors):
    """Score extracted outputs against gold annotations (the spec's scoring)."""
    from pipeline.evaluate import format_summary, score

    found: list = []
    result = score(gold, docs, pred, found)
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else format_summary(result))
    if errors:
        from pipeline.atomic import write_json_lines

        write_json_lines(errors, found)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
def text(file):
    """Print the text xunshi extracts from FILE (what every offset refers to)."""
    from pipeline.errors import XunshiError
    from pipeline.reading.files import read_file

    try:
        click.echo(read_file(file).text, nl=False)
    except XunshiError as exc:
        _fail(str(exc), exc.exit)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
@click.option("--no-model", is_flag=True)
@click.option("--json", "as_json", type=click.Path(dir_okay=False), help="also write the figures as JSON")
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True,
              help="rounds of the 1× runs; each figure is the median round")
@click.option("--profile", is_flag=True, help="instead: where one process spends its time, by stage")
def bench(paths, workers, no_model, as_json, repeat, profile):
    """Measure throughput (chars/s, ratio to bare jieba, speed-up, peak RSS) on PATHS."""
    from pipeline import bench as b

    if profile:
        click.echo(b.profile([str(p) for p in paths], use_model=not no_model))
    else:
        b.main([str(p) for p in paths], workers=workers, use_model=not no_model, as_json=as_json,
               repeat=repeat)


@main.command()
@click.argument("file", type=click.Path(exists=True, path_type=Path))
def show(file):
    """Print a document's work items as a table: action, task, bodies, counts, times, categories."""
    from pipeline.show import show as show_items

    show_items(file)


@main.command()
@click.argument("component", type=click.Choice(["bodies"]))
@click.option("-o", "--out", type=click.Path(path_type=Path), default=None,
              help="where the trained model goes (default: models/<component>)")
@click.option("--seed", type=int, default=0, show_default=True)
def train(component, out, seed):
    """Train a statistical component from the project's own data (deterministic with --seed)."""
    from pipeline.model.train import train as train_model

    metrics = train_model(out, seed=seed)
    click.echo(json.dumps(metrics, ensure_ascii=False, indent=2))


@main.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", "tables", type=click.Path(path_type=Path), default=None,
              help="folder for the tables (default: OUT_DIR/tables)")
def compare(out_dir, tables):
    """Comparison tables across regions: CSV, XLSX (with an evidence sheet), Markdown, Parquet
    and a DuckDB store for `xunshi query`."""
    from pipeline.compare.files import compare as build_tables

    written = build_tables(out_dir, tables or out_dir / "tables")
    for name, path in written.items():
        click.echo(f"{name}\t{path}")
    if "xunshi.duckdb" not in written:
        click.echo(f"{out_dir} cannot be written: no xunshi.duckdb there (`xunshi query` builds "
                   "one in a temporary folder)", err=True)


@main.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--out", "html", type=click.Path(path_type=Path), default=None,
              help="the index page (default: OUT_DIR/report.html); its pages go beside it, "
                   "in NAME_files/")
def report(out_dir, html):
    """Review pages: an index (overview, tables, a filter by region, the documents), evidence
    pages that the table cells link to, and one page per document with its mentions
    highlighted and its work items. No script, nothing fetched."""
    from pipeline.compare.report import build_report

    click.echo(build_report(out_dir, html or out_dir / "report.html"))


@main.command()
@click.argument("out_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("sql")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "json", "jsonl"]),
              default="table", show_default=True,
              help="table: aligned for reading; csv, json (one array), jsonl (one object a line)")
def query(out_dir, sql, fmt):
    """Run SQL on the extracted records and the comparison tables (read-only).

    Tables: documents, mentions, items, errors, regions, metrics, practices, bodies (and their
    *_wide forms), deadlines, coverage; `xunshi schema` describes their columns.
    """
    from pipeline.compare.results import render
    from pipeline.compare.store import query as run_query

    res = run_query(out_dir, sql)
    click.echo(render(res.columns, res.types, res.rows, fmt), nl=False)


if __name__ == "__main__":
    main()
