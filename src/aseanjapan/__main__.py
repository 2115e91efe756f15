"""`python -m aseanjapan` runs the aj command."""

from .cli.app import main

main()
