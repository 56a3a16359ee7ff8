"""The extractors of mentions: quantities, times, bodies, and the numerals they share."""
