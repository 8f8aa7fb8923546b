"""The vote path alone, in-process: what one `vote` event costs the server in CPU, without the
network, gevent or the other clients. `excom bench live-vote` measures the whole; this says
which part of it is the app's own code (the handler, its queries, the commit).

    python -m governance.bench.vote_path --voters 500 [--batch] [--database URL] [--profile out.pstats]

Sets up a meeting as the benchmark does, opens a poll over the app's HTTP API, then calls the
Socket.IO `vote` handler through Flask-SocketIO's test client once per voter, one after the
other (each vote then reaches the ballot box alone: a batch of one), and prints one JSON line:
CPU and wall milliseconds per vote, statements per vote. With `--batch`, the ballot box's
writer records every vote in batches as it does in a burst (`voting.ballot_box.record_slips`,
MOST_PER_BATCH at a time), without the Socket.IO events.
"""
import argparse
import cProfile
import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import event


def measure(voters: int, database: str | None = None, profile: str | None = None, batch: bool = False) -> dict:
    from governance.bench.live_vote import CHOICES, Database, populate

    workdir = Path(tempfile.mkdtemp(prefix="excom-votepath-"))
    instance = workdir / "instance"
    instance.mkdir()
    secret = secrets.token_hex(16)
    db_ = Database(database, workdir)
    try:
        from flask_migrate import upgrade

        from governance import create_app
        from governance.extensions import db, socketio

        config = {"EXCOM_DATABASE_URL": db_.url, "EXCOM_INSTANCE_PATH": str(instance), "EXCOM_SECRET_KEY": secret,
                  "EXCOM_REDIS_URL": None, "EXCOM_ASYNC_MODE": "threading"}
        app = create_app(config)
        with app.app_context():
            upgrade()
            db.engine.dispose()
        setup = populate(db_.url, instance, secret, voters, app=app)
        socketio.server.async_handlers = False  # run each handler in the caller's thread: the ack is the answer
        http = app.test_client()
        auth = {"Authorization": f"Bearer {setup.chair_token}"}
        motion = http.post(f"/api/v1/items/{setup.item_id}/motions", headers=auth,
                           json={"kind": "general", "title": "Vote path", "text": "That it be measured.",
                                 "majority": "simple", "secret": False}).get_json()
        poll = http.post(f"/api/v1/motions/{motion['id']}/polls", headers=auth).get_json()
        clients = []
        for token, _member in setup.voters:
            client = socketio.test_client(app, auth={"token": token})
            answer = client.emit("join", {"meeting_id": setup.meeting_id}, callback=True)
            assert answer.get("ok"), answer
            clients.append(client)

        statements = 0

        def count(*_args, **_kwargs):
            nonlocal statements
            statements += 1

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        profiler = cProfile.Profile() if profile else None
        failures = 0
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        if batch:
            failures = _record_in_batches(app, setup.voters, poll["id"])
        else:
            for index, client in enumerate(clients):
                answer = client.emit("vote", {"poll_id": poll["id"], "choice": CHOICES[index % 3]}, callback=True)
                failures += not (isinstance(answer, dict) and answer.get("ok"))
        if profiler and profile:  # one comes with the other
            profiler.disable()
            profiler.dump_stats(profile)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        event.remove(engine, "before_cursor_execute", count)
        for client in clients:
            client.disconnect()
        with app.app_context():
            db.engine.dispose()
        return {"voters": voters, "database": db_.backend, "failures": failures,
                "cpu_ms_per_vote": round(1000 * cpu / voters, 3), "wall_ms_per_vote": round(1000 * wall / voters, 3),
                "statements_per_vote": round(statements / voters, 2),
                "note": "the ballot box's writer alone, in batches" if batch else
                "handler path only: no network, no gevent, one vote after another"}
    finally:
        db_.drop()
        shutil.rmtree(workdir, ignore_errors=True)


def _record_in_batches(app, voters, poll_id: int) -> int:
    from governance.auth.models import hash_token
    from governance.bench.live_vote import CHOICES
    from governance.extensions import db
    from voting.ballot_box import MOST_PER_BATCH, Slip, record_slips

    slips = [Slip(hash_token(token), None, {"poll_id": poll_id, "choice": CHOICES[index % 3]})
             for index, (token, _member) in enumerate(voters)]
    failures = 0
    for start in range(0, len(slips), MOST_PER_BATCH):
        with app.app_context():
            answers = record_slips(slips[start:start + MOST_PER_BATCH])
            db.session.commit()
        failures += sum(1 for answer in answers if not answer.get("ok"))
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m governance.bench.vote_path")
    parser.add_argument("--voters", type=int, default=500)
    parser.add_argument("--database", default=None)
    parser.add_argument("--profile", default=None, help="write cProfile stats of the vote loop here")
    parser.add_argument("--batch", action="store_true", help="the ballot box's batches instead of one event per vote")
    args = parser.parse_args()
    print(json.dumps(measure(args.voters, args.database, args.profile, args.batch)))


if __name__ == "__main__":
    main()
