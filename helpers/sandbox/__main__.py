"""``python -m helpers.sandbox run SPEC | kernel CONNECTION_FILE ... | serve SOCKET``: a fresh
sandbox (:func:`helpers.sandbox.launch.run_main`), a kernel (:func:`helpers.sandbox.kernel.main`)
or the fork server (:func:`helpers.sandbox.forkserver.serve`)."""

import argparse

parser = argparse.ArgumentParser(prog="python -m helpers.sandbox")
sub = parser.add_subparsers(dest="what", required=True)
k = sub.add_parser("kernel")
k.add_argument("connection_file")
k.add_argument("--helpers", required=True)
k.add_argument("--data", required=True)
k.add_argument("--limits", required=True, help="a helpers.sandbox.Limits as JSON")
k.add_argument("--scratch", default=None)
k.add_argument("--plain", default="", help="no sandbox, for this reason")
sub.add_parser("run").add_argument("spec")
sub.add_parser("serve").add_argument("socket")
arguments = parser.parse_args()
if arguments.what == "run":
    from helpers.sandbox import launch

    launch.run_main(arguments.spec)
elif arguments.what == "serve":
    from helpers.sandbox import forkserver

    forkserver.serve(arguments.socket)
else:
    from helpers.sandbox import kernel

    kernel.main(arguments)
