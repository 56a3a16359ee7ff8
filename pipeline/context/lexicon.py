"""jieba's dictionary as the rule stages read it: word frequencies and part-of-speech tags.

The stages look a few thousand words up per corpus (is `余十` a word, is `桩` a noun, which verb
does `驻村` hold), but jieba serves them only from its whole tables in memory: the frequency
table takes 0.6 s and 70 MB to load, the POS table another 0.5 s and 40 MB, three times what a
one-document run needs for everything else. So the tables (with the domain dictionary
`rules/dict.txt` applied, exactly as jieba applies it) are kept as one SQLite table in the user
cache folder, built once from jieba's own loaded tables and keyed by jieba's version, its
dictionary file and the domain dictionary; a look-up reads a row. Without a cache folder the
table is built in memory in each process (as slow as before, the same answers).

`pos(word)` is jieba's own POS tagger written out over these tables: the same algorithm (its
word graph, its HMM for unknown words) with the same data, so the same tags.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
from functools import lru_cache
from math import log
from pathlib import Path

from pipeline.context.viterbi import viterbi
from pipeline.kept import kept
from pipeline.rules import rule_path

FORMAT = "1"
# jieba.posseg's regexes, written as it writes them (`tests/test_lexicon.py` checks): its blocks
# of Han characters, letters and digits and what splits the rest, then the same within a run of
# characters its dictionary does not join, then numbers and letters
HAN_INTERNAL = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")
SKIP_INTERNAL = re.compile("(\r\n|\\s)")
HAN_DETAIL = re.compile("([\u4E00-\u9FD5]+)")
SKIP_DETAIL = re.compile("([\\.0-9]+|[a-zA-Z0-9]+)")
NUM = re.compile("[\\.0-9]+")
ENG = re.compile("[a-zA-Z0-9]+")
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

    def row(self, word: str) -> tuple | None:
        """(freq, main, tag, user_tag) of `word`, or None."""
        if self._rows is not None:
            return self._rows.get(word)
        r = self._memo.get(word, _MISSING)
        if r is _MISSING:
            r = self._conn().execute("SELECT f, m, t, u FROM w WHERE k = ?", (word,)).fetchone()
            self._remember({word: r})
        return r

    def reader(self):
        """`row` as the fastest call there is: the rows' own `get` once they are in memory."""
        return self._rows.get if self._rows is not None else self.row

    def load_all(self) -> None:
        """Every row into memory: what a run over many documents does before the first one, so
        that no look-up waits on the disk (jieba loaded as much, slower).

        The 500,000 rows hold 17,000 distinct values, and each value is kept once (`shared`),
        not once a row. That is 30 MB less in every process. It also spares the pool workers,
        which are forked after this: a look-up increments the reference count of the value it
        returns, and with a value a row, each new word a worker looked up copied one more page
        of the parent's (8,600 pages, 0.09 s, over half of gov-reports-2026). Now a worker
        touches a few hundred pages at most."""
        if self._rows is None:
            shared: dict[tuple, tuple] = {}
            keep = shared.setdefault
            self._rows = {r[0]: keep(v := r[1:], v)
                          for r in self._conn().execute("SELECT k, f, m, t, u FROM w")}
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
        """jieba's FREQ value of `word`, read from the rows in memory without a call to `row`
        when they are loaded (the rule stages look thousands of words up a corpus)."""
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


def pos(text: str) -> list[tuple[str, str]]:
    """(word, jieba POS flag) pairs of `text`, as `jieba.posseg` gives them.

    This is jieba.posseg's `cut` (jieba 0.42, HMM on) written out over the table's rows: the
    same regex blocks, word graph, route floats (computed in the same order), tags and HMM
    paths, so the same pairs (`tests/test_lexicon.py` compares them with jieba's over the
    dictionary, random text and every word of the corpora). jieba's own code reached every
    frequency and tag through four layers of calls and generators, and looked each word of
    the route up again for its tag: the items stage tags the words the kept table lacks
    (`word_pos`) one at a time, with the tables cold in the processor's caches, where every
    look-up counts.
    """
    lex = lexicon()
    get = lex.reader()
    out: list[tuple[str, str]] = []
    if HAN_INTERNAL.fullmatch(text):  # a word: jieba's split gives it alone between two ''
        _cut_words(text, get, lex.total, out)
        return out
    for blk in HAN_INTERNAL.split(text):
        if HAN_INTERNAL.match(blk):
            _cut_words(blk, get, lex.total, out)
        else:
            _cut_other(blk, out)
    return out


def _cut_other(blk: str, out: list) -> None:
    """jieba's pairs of a block without Han characters, letters, digits or `.` (the rest of
    `__cut_internal`): its white space as split, every other character alone, all `x` (jieba
    tests each character for a number and the piece for letters, which such a block lacks)."""
    for x in SKIP_INTERNAL.split(blk):
        if SKIP_INTERNAL.match(x):
            out.append((x, "x"))
        else:
            out.extend((xx, "x") for xx in x)


def _route(s: str, get, total: int) -> list:
    """jieba's best path through the word graph of `s` (`get_DAG` then `calc`, fused: a start's
    words depend on no other start, so each is found just before its score is taken): route[k]
    is (score, end of the word at k, that word's row, for its tag)."""
    n = len(s)
    logtotal = log(total)
    route: list = [None] * n + [(0, 0)]
    for k in range(n - 1, -1, -1):
        ends, i, frag = [], k, s[k]
        first = r = get(frag)
        while r is not None and r[0] is not None:
            if r[0]:
                ends.append((i, r))
            i += 1
            if i >= n:
                break
            frag = s[k:i + 1]
            r = get(frag)
        if not ends:  # no word starts at k: jieba takes the character alone, frequency 1
            route[k] = (log(1) - logtotal + route[k + 1][0], k, first)
            continue
        best = None  # jieba's max of (score, end) (a loop: two thirds of the cost of a max)
        for x, r in ends:
            here = (log(r[0]) - logtotal + route[x + 1][0], x, r)
            if best is None or here > best:
                best = here
        route[k] = best
    return route


def _cut_words(s: str, get, total: int, out: list) -> None:
    """jieba's pairs of a block of Han characters, letters and digits (`__cut_DAG`): the words
    of the best route with their tags, runs of single characters (`_flush`) apart."""
    route, n = _route(s, get, total), len(s)
    x, run = 0, []
    while x < n:
        _, end, r = route[x]
        if end == x:
            run.append((s[x], r))
        else:
            if run:
                _flush(run, get, out)
                run = []
            out.append((s[x:end + 1], _tag(r)))
        x = end + 1
    if run:
        _flush(run, get, out)


def _tag(r: tuple | None) -> str:
    """The dictionary file's tag of a word of row `r`, 'x' for none: the tagger's
    `word_tag_tab` (the domain dictionary's tags are not its: jieba hands them to the first
    tagger made from a tokenizer, which was the counted-noun reader's)."""
    tag = r[2] if r else None
    return "x" if tag is None else tag


def _flush(run: list, get, out: list) -> None:
    """A run of single characters with their rows: one character tagged, a run that is a
    word of the dictionary tagged character by character, else `_cut_unknown`."""
    if len(run) == 1:
        out.append((run[0][0], _tag(run[0][1])))
        return
    text = "".join(c for c, _ in run)
    r = get(text)
    if r and r[0]:
        out.extend((c, _tag(row)) for c, row in run)
    else:
        _cut_unknown(text, out)


def _cut_unknown(buf: str, out: list) -> None:
    """jieba's `__cut_detail`: Han runs through its HMM (`_hmm`), numbers `m`, letters and
    digits `eng`, anything else `x`."""
    for blk in HAN_DETAIL.split(buf):
        if HAN_DETAIL.match(blk):
            _hmm(blk, out)
        else:
            for x in SKIP_DETAIL.split(blk):
                if x:
                    out.append((x, "m" if NUM.match(x) else "eng" if ENG.match(x) else "x"))


def _hmm(sentence: str, out: list) -> None:
    """jieba's HMM tagging of a run of Han characters (`POSTokenizer.__cut`), with its viterbi
    done by `pipeline.context.viterbi` (four times faster, the same paths)."""
    route = viterbi(sentence)[1]
    begin = nexti = 0
    for i, char in enumerate(sentence):
        bmes, flag = route[i]
        if bmes == "B":
            begin = i
        elif bmes == "E":
            out.append((sentence[begin:i + 1], flag))
            nexti = i + 1
        elif bmes == "S":
            out.append((char, flag))
            nexti = i + 1
    if nexti < len(sentence):
        out.append((sentence[nexti:], route[nexti][1]))


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
