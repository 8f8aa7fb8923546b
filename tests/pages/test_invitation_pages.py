"""The invitation desk and the printed QR sheet through Flask's test client, on both
databases, on the demo meeting: only the secretariat opens them; the desk shows each
participant's state from the database; the QR sheet (a POST with the CSRF token) prints one
card with a QR code per person of the group, each a new link listed on the desk."""
import re

from tests.pages.test_pages import DELEGATE, SECRETARIAT, html, sign_in


def _csrf(text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', text).group(1)


def test_only_the_secretariat_opens_the_invitation_desk(demo, app):
    page = f"/meetings/{demo}/invitations"
    answer = app.test_client().get(page)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/login?next=")
    assert html(sign_in(app.test_client(), DELEGATE), page)[0] == 403
    assert sign_in(app.test_client(), DELEGATE).post(f"{page}/qr", data={"group": "all"}).status_code in (400, 403)
    status, text = html(sign_in(app.test_client(), SECRETARIAT), page)
    assert status == 200
    assert " style=" not in text and not re.search(r"<script(?![^>]*(src=|type=\"application/json\"))", text)
    assert text.count('<tr data-user-id=') == 27 and text.count('data-state="none"') == 27
    assert html(sign_in(app.test_client(), SECRETARIAT), "/meetings/999999/invitations")[0] == 404
    # the desk links to it
    assert page in html(sign_in(app.test_client(), SECRETARIAT), f"/meetings/{demo}/desk")[1]


def test_the_qr_sheet_prints_a_new_link_for_each_person_of_the_group(demo, app, api):
    client = sign_in(app.test_client(), SECRETARIAT)
    desk_page = f"/meetings/{demo}/invitations"
    token = _csrf(html(client, desk_page)[1])
    assert client.post(f"{desk_page}/qr", data={"group": "observer_media"}).status_code == 400  # no CSRF token
    answer = client.post(f"{desk_page}/qr", data={"group": "observer_media", "csrf_token": token})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    sheet = answer.get_data(as_text=True)
    desk = api.as_user(SECRETARIAT, "excom-demo")
    media = [p for p in desk.get(f"/meetings/{demo}/participants").get_json() if p["group"] == "observer_media"]
    assert media and sheet.count('<li class="qr-card">') == len(media) and sheet.count("<svg") == len(media)
    assert " style=" not in sheet
    listed = {row["user_id"]: row for row in desk.get(f"/meetings/{demo}/invitations").get_json()}
    for person in media:
        [printed] = listed[person["user_id"]]["invitations"]
        assert printed["channel"] == "qr" and printed["live"] and printed["mail_state"] is None
    text = html(client, desk_page)[1]
    assert text.count('data-state="printed"') == len(media)
    assert client.post(f"{desk_page}/qr", data={"group": "everyone", "csrf_token": token}).status_code == 400
