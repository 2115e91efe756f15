"""Reading, validating and writing bundles and raw sources into the knowledge base."""
