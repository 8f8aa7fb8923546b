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
import socket  # noqa: E402

from gevent import pywsgi  # noqa: E402

from governance.redact import RedactedRequestLog  # noqa: E402


class NoDelayHandler(RedactedRequestLog, pywsgi.WSGIHandler):
    """gevent's handler with Nagle's algorithm off on each connection.

    pywsgi writes a response in two sends: the status line and headers, then the body. With
    Nagle on, the body waits until the client acknowledges the headers, and the client, having
    nothing to send, delays that ACK by up to 40 ms (Linux's delayed ACK). A fresh connection
    escapes it (quick-ACK mode at start); every later request on a kept-alive connection paid
    the 40 ms: pages after the first, the chair's console, scripts. The response is complete when
    written, so there is nothing for Nagle to coalesce: send at once.

    Its access log (EXCOM_ACCESS_LOG=1) carries no access-link or reset code, nor token
    (RedactedRequestLog).
    """

    def handle(self):
        try:
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # not TCP (a Unix socket) or already closed: nothing to tune
            pass
        return super().handle()


def main() -> None:
    parser = argparse.ArgumentParser(prog="excom serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    logging.basicConfig(level=os.environ.get("EXCOM_LOG_LEVEL", "WARNING"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    from governance import apart, create_app, services, start_services
    from governance.extensions import socketio

    app = create_app({"EXCOM_ASYNC_MODE": "gevent"})
    # the background services, explicitly: the connection sweep and rights channel, the ballot
    # box's writer, the progress counts, and with EXCOM_SMTP_URL the outbox's sender
    start_services(app)
    apart.start_spare()  # a child waiting for the first build (the memorandum), its modules imported
    # Python's collector was a tenth of a vote burst's wall time: with a thousand connections the
    # heap is large, and each full collection (triggered as the heap grows) took 0.2-0.5 s with
    # the hub stopped (docs/performance.md). What was built at start-up (modules, the app) lives
    # as long as the process: freeze it out of every collection. Collect the young generation
    # after 10,000 allocations rather than 700: fewer, still short, collections.
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)
    print(f"serving on http://{args.host}:{args.port}/ (pid {os.getpid()})", flush=True)
    # no request log unless asked for; when asked, its lines are redacted (format_request above)
    access_log = os.environ.get("EXCOM_ACCESS_LOG", "") not in ("", "0")
    try:
        socketio.run(app, host=args.host, port=args.port, log_output=access_log, handler_class=NoDelayHandler)
    finally:
        services.stop_all(app)


if __name__ == "__main__":
    main()
