"""The document context: the simplified view, words, sentences and clauses, headings and regions."""
