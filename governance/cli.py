"""The `excom` command: init-db, demo, serve, audit, bench, minutes."""
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from governance.auth.models import ROLES


def _create_app():
    from governance import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main():
    """EXCOM governance platform: meetings, live votes and minutes."""


@main.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the schema with the Alembic migrations."""
    from flask_migrate import upgrade

    from governance.auth.operations import installation_is_new, issue_setup_key
    from governance.extensions import db
    upgrade()
    click.echo(f"database ready: {_safe_url(current_app.config['SQLALCHEMY_DATABASE_URI'])}")
    if installation_is_new():
        key = issue_setup_key()
        db.session.commit()
        click.echo("no account yet. To set the installation up, open /first-run on the server (e.g. "
                   f"http://{os.environ.get('EXCOM_HOST', '127.0.0.1')}:{os.environ.get('EXCOM_PORT', '5000')}"
                   "/first-run) and give this one-time key:")
        click.echo(f"  {key}")
        click.echo("(or `excom create-user --role secretariat` from a script; `excom demo` loads the "
                   "EXCOM 2024 demo meeting instead)")


@main.command("create-user")
@click.option("--name", required=True, help="Full name.")
@click.option("--email", required=True, help="E-mail address: the sign-in name.")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES),
              help="A role (repeat for several); none for a delegate or an observer.")
@click.option("--member", default=None, help="The member (city, institution) this person is a delegate of, by name.")
@click.option("--title", default="", help="Position, e.g. Secretary General.")
@click.option("--affiliation", default="", help="Organisation, when not a member.")
@click.option("--password", default=None, envvar="EXCOM_NEW_PASSWORD",
              help="Read from EXCOM_NEW_PASSWORD, else asked (not echoed). --no-password for an "
                   "account that signs in by a personal access link only.")
@click.option("--no-password", is_flag=True, help="No password: the person signs in by an access link.")
@with_appcontext
def create_user(name, email, roles, member, title, affiliation, password, no_password):
    """Make an account, e.g. the first secretariat account, from a script."""
    from marshmallow import ValidationError

    from governance.auth import operations
    from governance.auth.schemas import UserIn
    from governance.errors import ApiError
    from governance.extensions import db
    from governance.registry.models import Member

    if not no_password and password is None:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    member_id = None
    if member:
        found = db.session.scalar(db.select(Member).where(Member.name == member))
        if found is None:
            raise click.ClickException(f"no member is called {member!r}")
        member_id = found.id
    body = {"name": name, "email": email, "title": title, "affiliation": affiliation, "member_id": member_id,
            "roles": list(roles), **({} if no_password else {"password": password})}
    try:
        fields = UserIn().load(body)
        user = operations.create_user(actor=None, **fields)
    except ValidationError as error:
        problems = "; ".join(f"{field}: {' '.join(map(str, texts))}"
                             for field, texts in error.normalized_messages().items())
        raise click.ClickException(problems) from None
    except ApiError as error:
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"user {user.id} created: {user.email}" + (f" ({', '.join(user.roles)})" if user.roles else ""))


@main.command("demo")
@click.option("--play", is_flag=True, help="Also play the meeting through: check-ins, votes, the memorandum.")
@click.option("--if-fresh", is_flag=True,
              help="On a database that holds anything but the demo, say so and change nothing, without "
                   "failing (`make run`).")
@with_appcontext
def demo(play, if_fresh):
    """Load the EXCOM 2024 Almaty meeting and print the demo accounts.

    Only into a database of its own: one that holds other meetings or accounts is refused, since
    the demo's accounts share one known password."""
    from governance.demo.loader import DemoRefused, load_demo
    from governance.extensions import db

    password = current_app.config["EXCOM_DEMO_PASSWORD"]
    try:
        report = load_demo(password)
    except DemoRefused as refusal:
        db.session.rollback()
        if if_fresh:
            click.echo(f"demo not loaded: {refusal}")
            return
        raise click.ClickException(str(refusal)) from None
    db.session.commit()
    if play:
        from excom_tools.demo_play import play as play_meeting  # a tool beside the runtime: imported late
        outcome = play_meeting(echo=click.echo, instance_path=current_app.instance_path)
        click.echo(f"{report.meeting.title}: " + ("played" if outcome.played else "already played, nothing changed")
                   + (f"; memorandum version {outcome.version} at /api/v1/meetings/{report.meeting.id}/"
                      f"memorandum.docx" if outcome.version else ""))
        if outcome.docx_path:
            click.echo(f"  a copy: {outcome.docx_path}")
    state = "loaded" if report.created else "already loaded, nothing changed"
    click.echo(f"{report.meeting.title} ({state})")
    click.echo(f"open http://{os.environ.get('EXCOM_HOST', '127.0.0.1')}:{os.environ.get('EXCOM_PORT', '5000')}/")
    click.echo(f"demo accounts (password: {password}):")
    for role, name, email in report.accounts:
        click.echo(f"  {role:18} {email:42} {name}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host, port):
    """Serve pages, API and Socket.IO from one production-capable process (gevent)."""
    # gevent must patch the standard library before anything else imports it, so the server
    # runs in a fresh interpreter rather than this one, which click and Flask already loaded.
    args = [sys.executable, "-m", "governance.serve", "--host", host, "--port", str(port)]
    os.execv(sys.executable, args)


@main.group("audit")
def audit():
    """Check the audit trail."""


def _anchor(ctx, param, values):
    from governance.audit.chain import parse_anchor
    try:
        return [parse_anchor(value) for value in values]
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@audit.command("verify")
@click.option("--head", "anchors", multiple=True, callback=_anchor, metavar="SEQ:HASH",
              help="An audit head copied from outside the database (a distributed memorandum prints one): "
                   "it must still be in the trail. Repeatable.")
@with_appcontext
def audit_verify(anchors):
    """Walk the hash chain and report the first broken link, if any (with EXCOM_AUDIT_KEY: the MACs too)."""
    from governance.audit.operations import verify_chain

    report = verify_chain(anchors)
    for note in _chain_notes(report):
        click.echo(note)
    for seq, digest in anchors:
        if not any(problem.startswith(f"anchor {seq}:{digest[:12]}") for problem in report.anchor_problems):
            click.echo(f"anchor {seq}:{digest} is in the trail")
    failed = False
    if report.broken_at is not None:
        click.echo(f"audit trail BROKEN at event {report.broken_at}: {report.problem}", err=True)
        failed = True
    for problem in report.anchor_problems:
        click.echo(f"audit trail does NOT hold the {problem}", err=True)
        failed = True
    if failed:
        sys.exit(1)
    click.echo(f"audit trail intact: {report.events} events, head {report.head_seq}:{report.head}")


def _chain_notes(report) -> list[str]:
    notes = []
    if report.legacy_events:
        notes.append(f"{report.legacy_events} events were hashed by a version before the canonical form (scheme 1)"
                     + (f", {report.local_offsets} of them with their time in a local offset (the same instant)"
                        if report.local_offsets else ""))
    if report.first_mac is not None and not report.unchecked_macs:
        notes.append(f"keyed: every event from {report.first_mac} on carries a valid MAC")
    if report.unchecked_macs:
        notes.append(f"{report.unchecked_macs} events carry a MAC that was NOT checked: EXCOM_AUDIT_KEY is not set")
    return notes


@main.group("bench")
def bench():
    """Benchmarks on this machine (see docs/performance.md)."""


@bench.command("live-vote")
@click.option("--voters", default=200, show_default=True, type=int, help="Voting delegates, one client each.")
@click.option("--database", default=None, help="sqlite (default: a fresh file) or a PostgreSQL admin URL, "
              "e.g. postgresql://127.0.0.1:5432/test, beside which a fresh database is made and dropped.")
@click.option("--redis", default=None, help="Redis URL for the Socket.IO message queue (required with --servers > 1).")
@click.option("--servers", default=1, show_default=True, type=int, help="`excom serve` processes.")
@click.option("--transport", type=click.Choice(["websocket", "polling"]), default="websocket", show_default=True,
              help="websocket: connect straight over WebSocket; polling: start with long-polling and upgrade.")
@click.option("--connect-concurrency", default=100, show_default=True, type=int)
@click.option("--vote-timeout", default=120.0, show_default=True, type=float)
@click.option("--profile", default=None, help="Folder for py-spy profiles of each server during the vote.")
@click.option("--keep", is_flag=True, help="Keep the work folder (server logs).")
@click.option("--nginx", is_flag=True, help="Connect through nginx running docs/nginx/excom.conf (needs nginx).")
@click.option("--async-mode", type=click.Choice(["gevent", "threading"]), default="gevent", show_default=True,
              help="gevent: `excom serve`; threading: the same app on threads (for comparison only).")
def bench_live_vote(voters, database, redis, servers, transport, connect_concurrency, vote_timeout, profile, keep,
                    nginx, async_mode):
    """N delegates on real Socket.IO connections vote at once; prints one JSON line."""
    import json

    from excom_tools.bench.live_vote import BenchError, run
    try:
        figures = run(voters, database=database, redis=redis, servers=servers, transport=transport,
                      connect_concurrency=connect_concurrency, vote_timeout=vote_timeout, profile=profile, keep=keep,
                      nginx=nginx, async_mode=async_mode)
    except BenchError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(figures))
    if figures["lost"] or figures["duplicates"] or figures["result_missing"]:
        sys.exit(1)


@bench.command("memorandum")
@click.option("--notes", default=1, show_default=True, type=int,
              help="Agenda items with a note of 100,000 characters (33,334 paragraphs) each.")
@click.option("--voters", default=12, show_default=True, type=int,
              help="Delegates checked in, who vote during the build (without --named-polls).")
@click.option("--named-polls", default=0, show_default=True, type=int,
              help="Closed named polls, each with a vote of every delegate, before the build (issue 12's scene: "
              "--notes 0 --voters 200 --named-polls 20 --probes 0); nobody votes during the build then.")
@click.option("--probes", default=4, show_default=True, type=int,
              help="Clients sending other requests one after another, before and during the build (0: none).")
@click.option("--database", default=None, help="sqlite (default: a fresh file) or a PostgreSQL admin URL.")
@click.option("--inline", is_flag=True, help="Build on the server's event loop (for comparison only).")
@click.option("--keep", is_flag=True, help="Keep the work folder (server log).")
@click.option("--docx", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the full edition (English) that was built to this file.")
def bench_memorandum(notes, voters, named_polls, probes, database, inline, keep, docx):
    """Build a long memorandum while others use the server; prints one JSON line."""
    import json

    from excom_tools.bench.live_vote import BenchError
    from excom_tools.bench.memorandum_build import run
    try:
        figures = run(notes, voters=voters, probes=probes, database=database, inline=inline, keep=keep,
                      named_polls=named_polls, docx=docx)
    except BenchError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(figures))
    if figures["build_status"] != 201:
        sys.exit(1)


@bench.command("registration")
@click.option("--delegates", default=2000, show_default=True, type=int,
              help="Delegates to register, five requests each (member, user, token, participant, check-in).")
@click.option("--database", default=None, help="sqlite (default: a fresh file) or a PostgreSQL admin URL.")
@click.option("--passwords", is_flag=True, help="Give each account a password (hashed by the server) too.")
@click.option("--keep", is_flag=True, help="Keep the work folder (server log).")
def bench_registration(delegates, database, passwords, keep):
    """A secretariat's script registers N delegates through the REST API; prints one JSON line."""
    import json

    from excom_tools.bench.live_vote import BenchError
    from excom_tools.bench.registration import run
    try:
        figures = run(delegates, database=database, passwords=passwords, keep=keep)
    except BenchError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(figures))
    if figures["unexpected_answers"]:
        sys.exit(1)


@audit.command("recount")
@with_appcontext
def audit_recount():
    """Recount every closed poll and cross-examine it with its result, its audit events, its
    roll-call and the effects of its adoption; exit status 1 on any difference."""
    # The CLI composes the packages as create_app does; voting sits above governance.
    from governance.audit.operations import verify_chain
    from voting.recount import recount_all

    report = recount_all()
    chain = verify_chain()
    for finding in report.findings:
        click.echo(str(finding), err=True)
    if chain.broken_at is not None:
        click.echo(f"the audit trail itself is BROKEN at event {chain.broken_at} ({chain.problem}): what the "
                   "recount compared with it proves nothing from there on", err=True)
    if report.findings or chain.broken_at is not None:
        click.echo(f"recount FAILED: {len(report.findings)} differences ({report.polls} closed polls)", err=True)
        sys.exit(1)
    click.echo(f"recount holds for all {report.polls} closed polls, their motions and what their adoptions did")


@main.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path):
    """Write a consistent backup of the database to PATH while it serves.

    SQLite: SQLite's online backup API; PostgreSQL: pg_dump --format=custom (the PostgreSQL
    client must be installed). Prints the audit head the backup holds at least: keep it with
    the backup's log, outside the database."""
    from governance.audit.operations import head
    from governance.backup import BackupError, backup
    from governance.extensions import db

    seq, digest = head()  # committed before the snapshot begins, so it is in the backup
    db.session.remove()
    try:
        outcome = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written: {outcome.path} ({outcome.kind}, {outcome.size:,} bytes); it holds the audit "
               f"trail up to event {seq} at least: {seq}:{digest}")


@main.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(path, overwrite):
    """Replace the configured database with the backup at PATH (stop the servers first).

    Refuses when the database holds data, unless --overwrite. Then walks the restored trail."""
    from governance.audit.operations import verify_chain
    from governance.backup import BackupError, restore
    from governance.extensions import db

    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    db.engine.dispose()
    try:
        outcome = restore(url, path, overwrite=overwrite)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    db.engine.dispose()
    report = verify_chain()
    state = "intact" if report.broken_at is None else f"BROKEN at event {report.broken_at}: {report.problem}"
    click.echo(f"restored {outcome.path} ({outcome.kind}) into {_safe_url(url)}: audit trail {state}, "
               f"{report.events} events, head {report.head_seq}:{report.head}")
    click.echo("check it further with: excom audit verify --head SEQ:HASH; excom audit recount")
    if report.broken_at is not None:
        sys.exit(1)


class _ArchiveGroup(click.Group):
    """`excom archive MEETING_ID FILE.zip` writes; `excom archive verify FILE.zip` checks."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["write", *args]
        return super().parse_args(ctx, args)


@main.group("archive", cls=_ArchiveGroup)
def archive():
    """A meeting's record as one ZIP file: `excom archive MEETING_ID FILE.zip`, `excom archive verify FILE.zip`."""


@archive.command("write")
@click.argument("meeting_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def archive_write(meeting_id, path):
    """Write MEETING_ID's record, memoranda and audit events to PATH (a ZIP file)."""
    from governance.audit.trail import read_snapshot
    from governance.extensions import db
    from governance.meetings.models import Meeting
    from minutes.archive.writer import write_archive  # minutes sits above governance
    read_snapshot()  # the meeting, its polls and its events as of one moment
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise click.ClickException(f"no meeting has the id {meeting_id}")
    written = write_archive(meeting, path)
    click.echo(f"archive written: {written.path} ({written.files} files, {written.events} audit events, "
               f"head {written.head[0]}:{written.head[1]})")


@archive.command("verify")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--head", "anchors", multiple=True, callback=_anchor, metavar="SEQ:HASH",
              help="An audit head copied from outside the archive (a signed memorandum prints one). Repeatable.")
def archive_verify(path, anchors):
    """Check an archive offline: file hashes, the chain segment, a recount from its ballots.

    Needs no database. With EXCOM_AUDIT_KEY set, the events' MACs are checked too."""
    from minutes.archive.checker import verify_archive

    key = os.environ.get("EXCOM_AUDIT_KEY") or None
    verdict = verify_archive(path, key=key.encode() if key else None, anchors=anchors)
    for note in verdict.notes:
        click.echo(note)
    for finding in verdict.findings:
        click.echo(finding, err=True)
    if not verdict.holds:
        click.echo(f"archive FAILED: {len(verdict.findings)} differences", err=True)
        sys.exit(1)
    assert verdict.head is not None  # an archive holds up to its chain's head
    click.echo(f"archive holds: every file as listed, {verdict.events} audit events chained up to "
               f"{verdict.head[0]}:{verdict.head[1]}, {verdict.polls} closed polls recounted")


@main.group("minutes")
def minutes_group():
    """The memorandum's e-mail."""


@minutes_group.command("send")
@click.option("--batch", default=20, show_default=True, type=click.IntRange(1, 1000),
              help="Messages claimed per short transaction.")
@with_appcontext
def minutes_send(batch):
    """Send the memorandum e-mail waiting in the outbox, once (cron, or by hand after an outage).

    `excom serve` sends it by itself; this drains whatever is queued, and retries messages whose
    sender died mid-send once their lease has run out."""
    # minutes sits above governance: imported late, as create_app composes the packages
    from minutes.outbox import OutboxUnavailable, drain

    try:
        report = drain(current_app._get_current_object(), batch=batch)  # type: ignore[attr-defined]  # a LocalProxy  # type: ignore[attr-defined]  # a LocalProxy
    except OutboxUnavailable as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"memorandum e-mail: {report.sent} sent, {report.failed} failed")


@main.group("mail")
def mail_group():
    """The general e-mail outbox (password resets, invitations)."""


@mail_group.command("send")
@click.option("--batch", default=20, show_default=True, type=click.IntRange(1, 1000),
              help="Messages claimed per short transaction.")
@with_appcontext
def mail_send(batch):
    """Send the e-mail waiting in the general outbox, once (cron, or by hand after an outage).

    `excom serve` sends it by itself when EXCOM_SMTP_URL is set; this drains whatever is queued,
    and retries messages whose sender died mid-send once their lease has run out."""
    from governance.mail import OutboxUnavailable, drain

    try:
        report = drain(current_app._get_current_object(), batch=batch)  # type: ignore[attr-defined]  # a LocalProxy
    except OutboxUnavailable as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"e-mail: {report.sent} sent, {report.failed} failed")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":  # `python -m governance.cli ...` runs the same command as `excom ...`
    main()
