"""/api/v1 the speakers' list of each agenda item and its written questions.

Read: whoever may see the item. Write: a participant for themself; the chair or the secretariat
for anyone, and they alone give and end the floor."""
from flask import current_app, request
from flask_login import current_user

from governance import policy
from governance.auth.loading import signed_in_user
from governance.auth.models import User
from governance.errors import forbidden, invalid
from governance.extensions import Blueprint, db, limiter
from governance.lookup import require_chair, sees_item_of, visible, visible_item
from governance.speakers import operations
from governance.speakers.models import Speaker
from governance.speakers.schemas import SpeakerIn, SpeakerOut

blp = Blueprint("speakers", __name__, url_prefix="/api/v1",
                description="Speakers' list and written questions per agenda item")


def _rate() -> str:
    return current_app.config.get("EXCOM_SPEAKER_RATE_LIMIT") or "6 per minute;40 per hour"


def _person_key() -> str:
    return f"speak:{current_user.get_id() if current_user.is_authenticated else request.remote_addr}"


def _for_someone_else() -> bool:
    """The chair or the desk adding people is not one person asking again and again."""
    body = request.get_json(silent=True)
    return (isinstance(body, dict) and body.get("user_id") not in (None, "") and current_user.is_authenticated
            and str(body.get("user_id")) != str(current_user.get_id()))


def visible_speaker(speaker_id: int):
    """(speaker, caller), or 404 for a speaker on an item the caller may not see."""
    user = signed_in_user()
    return visible(db.session.get(Speaker, speaker_id), "speaker", user=user, sees=sees_item_of("item")), user


@blp.route("/items/<int:item_id>/speakers")
@blp.response(200, SpeakerOut(many=True))
def list_speakers(item_id):
    """The whole list: who speaks now, then the queue in order, then the finished entries."""
    item, _ = visible_item(item_id)
    return operations.list_view(item)


@blp.route("/items/<int:item_id>/speakers", methods=["POST"])
@limiter.limit(_rate, key_func=_person_key, exempt_when=_for_someone_else,
               deduct_when=lambda response: response.status_code == 201)
@blp.arguments(SpeakerIn)
@blp.response(201, SpeakerOut)
def request_floor(args, item_id):
    """Ask to speak (kind speech, in the room or online), raise a point of order (members; it goes
    to the head of the queue) or ask a question in writing. The chair or secretariat may add anyone
    with `user_id`. 409 already_waiting / too_many_questions; 429 beyond EXCOM_SPEAKER_RATE_LIMIT
    requests per person (6 a minute by default)."""
    item, user = visible_item(item_id)
    person = user
    if args["user_id"] is not None and args["user_id"] != user.id:
        require_chair(user, item.meeting, "add someone else to the list")
        person = db.session.get(User, args["user_id"])
        if person is None:
            raise invalid({"user_id": ["No user has this id."]})
    elif not policy.can_request_floor(user, item):
        raise forbidden("Only the meeting's participants ask to speak.")
    return operations.request_floor(item, actor=user, person=person, kind=args["kind"], mode=args["mode"],
                                    text=args["text"])


@blp.route("/speakers/<int:speaker_id>/start", methods=["POST"])
@blp.response(200, SpeakerOut)
def start(speaker_id):
    """Give the floor (chair, secretariat). Whoever speaks in the meeting ends; one at a time."""
    speaker, user = visible_speaker(speaker_id)
    require_chair(user, speaker.item.meeting, "give the floor")
    return operations.start(speaker, actor=user)


@blp.route("/speakers/<int:speaker_id>/stop", methods=["POST"])
@blp.response(200, SpeakerOut)
def stop(speaker_id):
    speaker, user = visible_speaker(speaker_id)
    require_chair(user, speaker.item.meeting, "end a speaker's time")
    return operations.stop(speaker, actor=user)


@blp.route("/speakers/<int:speaker_id>/answered", methods=["POST"])
@blp.response(200, SpeakerOut)
def answered(speaker_id):
    """Mark a written question answered (chair, secretariat)."""
    speaker, user = visible_speaker(speaker_id)
    require_chair(user, speaker.item.meeting, "mark questions answered")
    return operations.mark_answered(speaker, actor=user)


@blp.route("/speakers/<int:speaker_id>", methods=["DELETE"])
@blp.response(204)
def withdraw(speaker_id):
    """Withdraw a request: the person themself, or the chair or secretariat."""
    speaker, user = visible_speaker(speaker_id)
    if not policy.can_manage_speaker(user, speaker):
        raise forbidden("Only the person on the list, the chair or the secretariat may withdraw it.")
    operations.withdraw(speaker, actor=user)
