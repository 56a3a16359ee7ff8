"""Word-list helpers of pipeline/rules.py, on composed words."""
from __future__ import annotations

import pytest

from pipeline.rules import by_last_char, ending

WORDS = ["进一步", "一步", "认真", "切实", "真"]


def test_words_are_kept_by_their_last_character_longest_first():
    assert by_last_char(WORDS) == {"步": ("进一步", "一步"), "真": ("认真", "真"), "实": ("切实",)}


@pytest.mark.parametrize("text, at, want", [
    ("要进一步", 4, "进一步"),  # the longest that ends there
    ("走一步", 3, "一步"),
    ("很认真落实", 3, "认真"),  # ends at `at`, not at the text's end
    ("很认真落实", 5, None),  # 切实 ends in 实, but not this text
    ("真", 1, "真"),
    ("落实", 2, None),
])
def test_the_longest_word_that_ends_the_text_at_a_place(text, at, want):
    table = by_last_char(WORDS)
    assert ending(text, at, table) == want
    assert ending(text, at, table) == next((w for w in sorted(WORDS, key=len, reverse=True)
                                            if text.endswith(w, 0, at)), None)
