import sys

from . import server
from .jb import leave

ARGV = sys.argv[1:]
# A build first asks this checkout's warm server (kgkz.build.server), loading nothing.
if ARGV[:1] == ["stop"]:
    print(server.stopped())
    leave(0)
if (code := server.forward(ARGV)) is not None:
    leave(code)

from .cli import BUILDS, main  # noqa: E402 - only when this process builds itself

code = main(ARGV)
if (ARGV[:1] or ["html"])[0] in BUILDS:
    server.spawn()  # for the next build
# Everything is written and flushed when main returns: leave without tearing down.
leave(code)
