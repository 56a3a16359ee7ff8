"""Work items: clauses, their acts from the lexicon, practices, and the items built from them."""
