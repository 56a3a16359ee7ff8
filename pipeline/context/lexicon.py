"""jieba's dictionary as the rule stages read it: word frequencies and part-of-speech tags.

The stages look a few thousand words up per corpus (is `余十` a word, is `桩` a noun, which verb
does `驻村` hold), but jieba serves them only from its whole tables in memory: the frequency
table takes 0.6 s and 70 MB to load, the POS table another 0.5 s and 40 MB, three times what a
one-document run needs for everything else. So the tables (with the domain dictionary
`rules/dict.txt` applied, exactly as jieba applies it) are kept as one SQLite table in the user
cache folder, built once from jieba's own loaded tables and keyed by jieba's version, its
dictionary file and the domain dictionary; a look-up reads a row. Without a cache folder the
table is built in memory in each process (as slow as before, the same answers).

`pos(word)` runs jieba's own POS tagger over these tables: the same algorithm (its word graph,
its HMM for unknown words) with the same data, so the same tags.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from pipeline.kept import kept
from pipeline.rules import rule_path

FORMAT = "1"
USER_DICT = "dict.txt"
MEMO = 1 << 18  # rows kept in memory (a corpus asks for some ten thousand)
_MISSING = object()


class Lexicon:
    """Look-ups in the table: `freq` (jieba's FREQ: a word's frequency, 0 for a prefix of a
    word, None for neither), `main` (the frequency in jieba's own dictionary file), `tag` (the
    POS tag of jieba's dictionary file) and `user_tag` (the domain dictionary's tag)."""

    def __init__(self, path: Path | None, rows: dict | None = None, total: int = 0):
        self.path, self._rows, self.total = path, rows, total
        self._memo: dict = {}
        self._local = threading.local()  # each thread its connection
        if path is not None:
            total = self._conn().execute("SELECT v FROM meta WHERE k = 'total'").fetchone()[0]
            self.total = int(total)
        self.freq_map = _Column(self, 0)
        self.tag_map = _Column(self, 2)

    def row(self, word: str) -> tuple | None:
        """(freq, main, tag, user_tag) of `word`, or None."""
        if self._rows is not None:
            return self._rows.get(word)
        r = self._memo.get(word, _MISSING)
        if r is _MISSING:
            r = self._conn().execute("SELECT f, m, t, u FROM w WHERE k = ?", (word,)).fetchone()
            self._remember({word: r})
        return r

    def load_all(self) -> None:
        """Every row into memory (0.6 s, 110 MB): what a run over many documents does before
        the first one, so that no look-up waits on the disk (jieba loaded as much, slower)."""
        if self._rows is None:
            self._rows = {r[0]: r[1:] for r in self._conn().execute("SELECT k, f, m, t, u FROM w")}
            self._memo.clear()

    def _remember(self, rows: dict) -> None:
        if len(self._memo) > MEMO:
            self._memo.clear()
        self._memo.update(rows)

    def _conn(self) -> sqlite3.Connection:
        """This thread's read-only connection (a forked worker opens its own)."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.conn = sqlite3.connect(self.path.as_uri() + "?mode=ro", uri=True,
                                         check_same_thread=False)
            local.pid = os.getpid()
        return local.conn

    def freq(self, word: str) -> int | None:
        """The `freq_map` value of `word`, read from the rows in memory without the column's
        layers when they are loaded (the rule stages look thousands of words up a corpus)."""
        rows = self._rows
        r = rows.get(word) if rows is not None else self.row(word)
        return r[0] if r else None

    def main_freq(self, word: str) -> int | None:
        r = self.row(word)
        return r[1] if r else None

    def tag(self, word: str) -> str | None:
        """The POS tag jieba's tagger would read for `word`, the domain dictionary's first."""
        r = self.row(word)
        return (r[3] or r[2]) if r else None


class _Column:
    """One column of the table as the read-only mapping jieba's code expects (`in`, `[]`,
    `get`): the frequency table for its word graph, the tag table for its tagger."""

    def __init__(self, lex: Lexicon, col: int):
        self.lex, self.col = lex, col

    def get(self, word: str, default=None):
        r = self.lex.row(word)
        value = r[self.col] if r else None
        return default if value is None else value

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str):
        value = self.get(word)
        if value is None:
            raise KeyError(word)
        return value


@lru_cache(maxsize=1)
def _key() -> str:
    """What the table is made of: jieba's version and dictionary file, the domain dictionary."""
    import importlib.metadata
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    main = Path(spec.origin).parent / "dict.txt" if spec and spec.origin else None
    stat = main.stat() if main and main.exists() else None
    parts = [FORMAT, importlib.metadata.version("jieba"), str(main),
             f"{stat.st_size} {stat.st_mtime_ns}" if stat else "",
             hashlib.sha256(rule_path(USER_DICT).read_bytes()).hexdigest()]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def jieba_rows() -> tuple[dict, int]:
    """{word: (freq, main, tag, user_tag)} and jieba's total, from jieba's tables loaded with the
    domain dictionary (the slow way, done once)."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    main = dict(tok.FREQ)
    tok.load_userdict(str(rule_path(USER_DICT)))
    tags = jieba.posseg.POSTokenizer(tok).word_tag_tab  # the dictionary file's tags alone
    user = dict(tok.user_word_tag_tab)
    words = set(tok.FREQ) | set(tags) | set(user)
    rows = {w: (tok.FREQ.get(w), main.get(w) or None, tags.get(w), user.get(w)) for w in words}
    return rows, tok.total


def _build(path: Path) -> None:
    """Write the table to `path` (under a temporary name renamed into place)."""
    from pipeline.atomic import write_atomic

    rows, total = jieba_rows()

    def write(tmp: Path) -> None:
        tmp.unlink(missing_ok=True)
        conn = sqlite3.connect(tmp)
        conn.execute("CREATE TABLE w (k TEXT PRIMARY KEY, f INTEGER, m INTEGER, t TEXT, u TEXT) "
                     "WITHOUT ROWID")
        conn.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT)")
        conn.executemany("INSERT INTO w VALUES (?, ?, ?, ?, ?)", ((w, *r) for w, r in rows.items()))
        conn.execute("INSERT INTO meta VALUES ('total', ?)", (str(total),))
        conn.commit()
        conn.close()

    write_atomic(path, write)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The table of this installation: the cached file (built on first use, and again when it
    cannot be read), else in memory."""
    from pipeline.paths import cache_dir

    folder = cache_dir()
    if folder is not None:
        path = folder / f"lexicon-{_key()}.sqlite"
        for _ in range(2):
            try:
                if not path.exists():
                    _build(path)
                return Lexicon(path)
            except (OSError, sqlite3.Error):
                path.unlink(missing_ok=True)
    rows, total = jieba_rows()
    return Lexicon(None, rows, total)


@lru_cache(maxsize=1)
def pos_tagger():
    """jieba's POS tagger reading the table: its word graph over `freq_map`, its tags from the
    dictionary file's column (the domain dictionary's tags are not its: jieba hands them to the
    first tagger made from a tokenizer, which was the counted-noun reader's), its HMM for
    unknown characters through `pipeline.context.viterbi`."""
    import jieba
    import jieba.posseg

    from pipeline.context.viterbi import viterbi

    lex = lexicon()

    class TableTokenizer(jieba.Tokenizer):
        def __init__(self):
            super().__init__()
            self.FREQ, self.total, self.initialized = lex.freq_map, lex.total, True

    class TableTagger(jieba.posseg.POSTokenizer):
        def __init__(self):
            self.tokenizer = TableTokenizer()
            self.word_tag_tab = lex.tag_map

        def _POSTokenizer__cut(self, sentence):
            """jieba's HMM tagging of a run of unknown characters, with its viterbi done by
            `pipeline.context.viterbi` (four times faster, the same paths)."""
            route = viterbi(sentence)[1]
            begin = nexti = 0
            for i, char in enumerate(sentence):
                bmes, flag = route[i]
                if bmes == "B":
                    begin = i
                elif bmes == "E":
                    yield jieba.posseg.pair(sentence[begin:i + 1], flag)
                    nexti = i + 1
                elif bmes == "S":
                    yield jieba.posseg.pair(char, flag)
                    nexti = i + 1
            if nexti < len(sentence):
                yield jieba.posseg.pair(sentence[nexti:], route[nexti][1])

    return TableTagger()


def pos(text: str) -> list[tuple[str, str]]:
    """(word, jieba POS flag) pairs of `text`, as `jieba.posseg` gives them."""
    return [(p.word, p.flag) for p in pos_tagger().cut(text)]


# word -> `pos(word)`, kept across runs for the same jieba and dictionaries (`word_pos`)
TAGS = kept("pos", b"xunshi-pos-1", _key)
# Seven times the words of the shared corpora (4,450); words met after that are tagged in each
# run: a larger table would cost a one-sentence run more to read (10 ms at this size).
KEPT_WORDS = 1 << 15


def word_pos(word: str) -> tuple[tuple[str, str], ...]:
    """`pos(word)` of one word, remembered in the cache folder (`pipeline.kept`): the first
    process to meet a word tags it with jieba's tagger, the next ones read the same tags. Words
    jieba's dictionary lacks are tagged by its HMM, a thousand times slower than a look-up, and
    the words of a genre recur from report to report."""
    tags = TAGS.known.get(word) or TAGS.added.get(word)
    if tags is None:
        tags = tuple(pos(word))
        if len(TAGS.known) + len(TAGS.added) < KEPT_WORDS:
            TAGS.added[word] = tags
    return tags
