"""`excom serve`: one process for pages, API and Socket.IO, on gevent's WSGI server.

gevent rather than threading: each open WebSocket costs a greenlet (kilobytes), not a thread,
so one process holds an assembly's thousand phones; gevent's pywsgi is a production server,
unlike Werkzeug's. Not eventlet, which its maintainers discourage for new projects.
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import gc  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(prog="excom serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    logging.basicConfig(level=os.environ.get("EXCOM_LOG_LEVEL", "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from governance import create_app
    from governance.extensions import socketio

    app = create_app({"EXCOM_ASYNC_MODE": "gevent"})
    if app.config.get("EXCOM_SMTP_URL"):
        # the memorandum's e-mail goes out from this background task, after the distribution's
        # commit (minutes sits above governance: composed here, as create_app does)
        from minutes.outbox import start_sender
        start_sender(app)
    # Python's collector was a tenth of a vote burst's wall time: with a thousand connections the
    # heap is large, and each full collection (triggered as the heap grows) took 0.2-0.5 s with
    # the hub stopped (docs/performance.md). What was built at start-up (modules, the app) lives
    # as long as the process: freeze it out of every collection. Collect the young generation
    # after 10,000 allocations rather than 700: fewer, still short, collections.
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    print(f"serving on http://{args.host}:{args.port}/ (pid {os.getpid()})", flush=True)
    socketio.run(app, host=args.host, port=args.port, log_output=False)


if __name__ == "__main__":
    main()
