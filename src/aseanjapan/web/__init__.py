"""`aj serve`: the knowledge base in a browser (a door, like the CLI: it calls the library).

Needs the `web` extra (Starlette, Jinja2, uvicorn): pip install 'aseanjapan[web]'.
"""

from .app import create_app

__all__ = ["create_app"]
