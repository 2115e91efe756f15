"""`aj serve`: the knowledge base as a local web application."""


from typing import Annotated

import typer

from . import runtime


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on. The default serves this computer only; "
                                      "0.0.0.0 opens it to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on.")] = 8000,
    allow_writes: Annotated[bool, typer.Option("--allow-writes", help="Allow reviewing candidates in the browser "
                                               "(otherwise every page only reads).")] = False,
) -> None:
    """Browse, search and (with --allow-writes) review the knowledge base in a web browser.

    Every page is also JSON (add .json to its address) and tables are also CSV (.csv).

    Examples:

      aj serve

      aj serve --port 8080 --allow-writes
    """
    try:
        import uvicorn

        from ..web import create_app
    except ModuleNotFoundError:
        from ..errors import AjError
        from ..install import install_command

        raise AjError(f"the web application needs its extra: {install_command('web')}") from None
    kb = runtime.kb()
    app = create_app(kb, allow_writes=allow_writes)
    listening = _listen(host, port)  # before saying where: a taken port is one clear error
    port = listening.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    runtime.message(f"serving {kb.url} at http://{shown}:{port}/ ({'writing allowed' if allow_writes else 'read-only'}; "
                    "Ctrl-C stops)")
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False)
    uvicorn.Server(config).run(sockets=[listening])


def _listen(host: str, port: int):  # noqa: ANN202 - a socket
    import socket

    from ..errors import UsageError

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        listening = socket.socket(family, socket.SOCK_STREAM)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
    except OSError as exc:
        raise UsageError(f"--host {host} --port {port}: cannot listen there ({exc.strerror or exc})") from None
    return listening
