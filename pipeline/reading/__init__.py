"""Files to text: encodings, the formats government sites publish, and manifests."""
