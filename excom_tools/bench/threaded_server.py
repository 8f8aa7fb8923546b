"""The same app served in Flask-SocketIO's "threading" mode (one OS thread per connection,
WebSockets through simple-websocket, Werkzeug's server), for `excom bench live-vote
--async-mode threading`: the comparison with `excom serve`'s gevent that DESIGN asks for.
Not a production server (Werkzeug's is not): a measuring instrument."""
import argparse
import logging
import os


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m excom_tools.bench.threaded_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    logging.basicConfig(level=os.environ.get("EXCOM_LOG_LEVEL", "WARNING"))
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from governance import create_app
    from governance.extensions import socketio

    app = create_app({"EXCOM_ASYNC_MODE": "threading"})
    print(f"serving (threading) on http://{args.host}:{args.port}/ (pid {os.getpid()})", flush=True)
    socketio.run(app, host=args.host, port=args.port, log_output=False, allow_unsafe_werkzeug=True)


if __name__ == "__main__":
    main()
