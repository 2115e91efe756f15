"""The `aj` command line: thin Typer commands over the library."""
