"""aj: a relational, cited knowledge base about Japan-ASEAN relations."""

__version__ = "0.1.0"
