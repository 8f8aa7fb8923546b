"""The background services have one lifecycle (governance.services): `excom serve` starts them
all explicitly, and once stopped none of their tasks runs on (none outlives its app: a test's
database may be dropped right after)."""
from governance import services, start_services
from governance.realtime import ConnectionWatch
from voting.ballot_box import BallotBox
from voting.progress import ProgressCoalescer


def test_serve_starts_the_realtime_services_and_stopping_ends_every_task(app):
    started = start_services(app)
    assert {type(service) for service in started} >= {ConnectionWatch, BallotBox, ProgressCoalescer}
    progress = ProgressCoalescer.of(app)
    assert progress in started and all(task.is_alive() for task in progress.running)
    progress.mark({12345})  # a count waiting to go out when the test ends

    services.stop_all(app)

    assert services.running(app) == []
    for service in started:
        for task in service.running:
            task.join(30)  # a bound, not a pace: each ends at its next turn
            assert not task.is_alive(), type(service).__name__
    assert progress.dirty == set()


def test_a_service_is_started_once_per_app(app):
    assert BallotBox.of(app) is BallotBox.of(app)
    assert [type(service) for service in services.running(app)].count(BallotBox) == 1
