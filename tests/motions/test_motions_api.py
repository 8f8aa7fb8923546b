"""Motions of every kind, and what their adoption changes in the organisation."""
import base64
import io
import socket
import struct
import zlib

import pytest
from docx import Document
from PIL import Image

from motions.images import draw_svg
from tests.voting.scene import CITIES, Room


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width=4, height=4, colour=(0, 90, 160)) -> bytes:
    """A real PNG, made here: solid colour, `width`×`height`."""
    rows = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b""))


def png_bomb(width=60000, height=60000) -> bytes:
    """A few hundred bytes that declare a 60000×60000 image (10 GB once decoded): the header
    promises what the compressed data would unfold into; the data itself is never made."""
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 100_000, 9)) + _chunk(b"IEND", b""))


CLEAN_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
             b'<circle cx="5" cy="5" r="4" fill="#0a5"/></svg>')


@pytest.fixture
def room(demo, api):
    return Room(api, demo)


def upload(room, motion_id, data, filename, mimetype, label="Candidate"):
    return room.desk.post(f"/motions/{motion_id}/logos", json=None,
                          data={"file": (io.BytesIO(data), filename, mimetype), "label": label},
                          content_type="multipart/form-data")


def test_a_logo_vote_makes_the_winning_logo_the_organisation_s(room, client):
    room.check_in(*CITIES)
    motion = room.motion("Approval of New WeGO Logo", kind="logo", title="The new WeGO logo")
    blue, green = png(colour=(0, 60, 200)), png(colour=(0, 160, 60))
    first = upload(room, motion["id"], blue, "blue.png", "image/png", "Blue wave")
    second = upload(room, motion["id"], green, "green.png", "image/png", "Green leaf")
    third = upload(room, motion["id"], CLEAN_SVG, "mark.svg", "image/svg+xml", "Circle mark")
    assert [a.status_code for a in (first, second, third)] == [201, 201, 201]
    assert room.delegate("Almaty").get(first.get_json()["image_url"].removeprefix("/api/v1")).data == blue

    poll = room.open_poll(motion["id"]).get_json()
    assert [c["label"] for c in poll["choices"]] == ["Blue wave", "Green leaf", "Circle mark", "Abstain"]
    green_id = second.get_json()["value"]
    for city in CITIES:
        room.vote(poll["id"], city, green_id if city != "Seoul" else "abstain")
    result = room.close(poll["id"])
    assert (result["status"], result["winner"]) == ("elected", green_id)
    logo = room.desk.get("/organisation/logo")
    assert (logo.status_code, logo.mimetype, logo.data) == (200, "image/png", green)
    # once the ballot began, candidates are fixed
    late = upload(room, motion["id"], blue, "late.png", "image/png")
    assert late.status_code == 409


@pytest.mark.parametrize("data, filename, mimetype, status", [
    (CLEAN_SVG.replace(b"<circle", b"<script>alert(1)</script><circle"), "x.svg", "image/svg+xml", 422),
    (CLEAN_SVG.replace(b"<circle", b'<circle onload="alert(1)"'), "x.svg", "image/svg+xml", 422),
    (CLEAN_SVG.replace(b"<circle", b'<image href="https://evil.example/x.png"/><circle'), "x.svg",
     "image/svg+xml", 422),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"/>',
     "x.svg", "image/svg+xml", 422),
    (png_bomb(), "bomb.png", "image/png", 422),  # tiny file, huge declared image
    (b"GIF89a" + b"\x00" * 20, "x.gif", "image/gif", 422),
    (b"%PDF-1.4", "x.png", "image/png", 422),
    (png() + b"\x00" * (3 * 1024 * 1024), "big.png", "image/png", 413),
])
def test_hostile_or_wrong_uploads_are_refused_cleanly(room, data, filename, mimetype, status):
    motion = room.motion("Approval of New WeGO Logo", kind="logo", title="The new WeGO logo")
    answer = upload(room, motion["id"], data, filename, mimetype)
    assert answer.status_code == status
    assert set(answer.get_json()["error"]) == {"code", "message", "fields"}
    assert room.desk.get(f"/motions/{motion['id']}").get_json()["candidates"] == []


def test_adopting_the_agenda_locks_it(room):
    room.check_in(*CITIES)
    item_id = room.closed_items["Review of 2024 Financial Report"]
    motion = room.motion("Adoption of the Agenda for WeGO EXCOM 2024 by all present EXCOM Members",
                         kind="agenda_adoption", title="To adopt the agenda")
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES:
        room.vote(poll["id"], city, "yes")
    assert room.close(poll["id"])["status"] == "adopted"
    refused = room.desk.patch(f"/items/{item_id}", json={"title": "Something else"})
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "agenda_locked"
    assert room.desk.get(f"/meetings/{room.meeting_id}").get_json()["agenda_locked"] is True
    again = room.open_poll(motion["id"])
    assert again.status_code == 409


def test_an_instant_runoff_host_city_vote_computes_every_round_at_once(room):
    room.check_in(*CITIES)
    a, b, c = room.members["Makati"], room.members["Abuja"], room.members["Cuenca"]
    motion = room.motion("Approval of Host City of the EXCOM Meeting 2025", kind="host_city",
                         title="Host city 2025 (ranked)", candidates=[a, b, c], method="irv")
    poll = room.open_poll(motion["id"]).get_json()
    rankings = [[a, b]] * 5 + [[b, a]] * 4 + [[c, b]] * 3  # c out first; its votes go to b
    for city, ranking in zip(CITIES, rankings):
        assert room.vote(poll["id"], city, ranking).status_code == 201
    bad = room.vote(poll["id"], "Seoul", [a, a])
    assert bad.status_code in (409, 422)
    result = room.close(poll["id"])
    assert (result["status"], result["winner"]) == ("elected", b)
    assert [r["counts"] for r in result["rounds"]] == [
        {str(a): 5, str(b): 4, str(c): 3}, {str(a): 5, str(b): 7}]
    # each round with its own threshold; the result's is the deciding round's, with its counts
    assert [(r["counting"], r["threshold"], r["exhausted"]) for r in result["rounds"]] == [(12, 7, 0), (12, 7, 0)]
    assert (result["threshold"], result["counts"]) == (7, {str(a): 5, str(b): 7, "abstain": 0})


@pytest.mark.parametrize("fields, problem", [
    ({"kind": "membership", "title": "x"}, "member_id"),
    ({"kind": "membership", "title": "x", "member_id": 1, "action": "coronate"}, "action"),
    ({"kind": "host_city", "title": "x", "candidates": [1]}, "candidates"),
    ({"kind": "host_city", "title": "x", "candidates": [1, 1]}, "candidates"),
    ({"kind": "host_city", "title": "x", "candidates": [1, 2], "majority": "simple"}, "majority"),
    ({"kind": "general", "title": "x", "candidates": [1, 2]}, "candidates"),
    ({"kind": "statutes_amendment", "title": "x"}, "proposed_text"),
    ({"kind": "minutes_approval", "title": "x"}, "memorandum_meeting_id"),
    ({"kind": "minutes_approval", "title": "x", "memorandum_meeting_id": 424242}, "memorandum_meeting_id"),
    ({"kind": "general", "title": "x", "majority": "plurality"}, "majority"),
])
def test_a_motion_missing_what_its_kind_needs_is_refused(room, fields, problem):
    item = room.open_items["Review of 2024 WeGO Secretariat Annual Report"]
    answer = room.desk.post(f"/items/{item}/motions", json=fields)
    assert answer.status_code == 422
    assert problem in answer.get_json()["error"]["fields"]


def test_admitting_a_member_that_is_already_active_is_refused(room):
    item = room.open_items["Approval of New, Withdrawals, Suspension, and Termination of WeGO Membership "
                           "since EXCOM Meeting 2023"]
    answer = room.desk.post(f"/items/{item}/motions", json={
        "kind": "membership", "title": "x", "member_id": room.members["Seoul"], "action": "admit"})
    assert answer.status_code == 422 and "action" in answer.get_json()["error"]["fields"]


def test_suspending_a_member_takes_its_vote_away(room):
    room.check_in(*CITIES)
    hebron = room.members["Hebron"]
    motion = room.motion("Approval of New, Withdrawals, Suspension, and Termination of WeGO Membership since "
                         "EXCOM Meeting 2023", kind="membership", title="To suspend Hebron",
                         member_id=hebron, action="suspend", majority="two_thirds")
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES:
        room.vote(poll["id"], city, "yes" if city != "Hebron" else "no")
    assert room.close(poll["id"])["status"] == "adopted"
    assert room.desk.get(f"/members/{hebron}").get_json()["status"] == "suspended"
    assert room.desk.get(f"/meetings/{room.meeting_id}/quorum").get_json()["voting_members"] == 11


# --- uploads are decoded, not trusted ---------------------------------------------------------

def jpeg(width=8, height=6, colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


TRUNCATED_PNG = png()[:33]  # the signature and the IHDR chunk, nothing else: Pillow cannot decode it


@pytest.mark.parametrize("data, filename, mimetype", [
    (TRUNCATED_PNG, "cut.png", "image/png"),
    (png(64, 64)[:-30], "cut-end.png", "image/png"),      # IDAT cut short
    (jpeg()[:60], "cut.jpg", "image/jpeg"),
    (png().replace(b"IDAT", b"IDAX"), "damaged.png", "image/png"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "zeros.png", "image/png"),
], ids=["signature-and-ihdr-only", "idat-cut-short", "jpeg-cut", "chunk-renamed", "zeros"])
def test_an_image_that_does_not_decode_is_refused(room, data, filename, mimetype):
    """Checked by decoding every pixel, not by the first bytes: the 33-byte PNG was accepted,
    and once elected it made every memorandum build of every meeting fail."""
    motion = room.motion("Approval of New WeGO Logo", kind="logo", title="The new WeGO logo")
    answer = upload(room, motion["id"], data, filename, mimetype)
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["code"] == "invalid_image" and "file" in answer.get_json()["error"]["fields"]
    assert room.desk.get(f"/motions/{motion['id']}").get_json()["candidates"] == []


def test_jpeg_is_accepted_and_the_size_limit_is_said(room):
    motion = room.motion("Approval of New WeGO Logo", kind="logo", title="The new WeGO logo")
    photo = jpeg()
    answer = upload(room, motion["id"], photo, "logo.jpg", "image/jpeg", "Red square")
    assert answer.status_code == 201, answer.get_json()
    shown = room.desk.get(answer.get_json()["image_url"].removeprefix("/api/v1"))
    assert (shown.mimetype, shown.data) == ("image/jpeg", photo)
    too_big = upload(room, motion["id"], png() + b"\x00" * (3 * 1024 * 1024), "big.png", "image/png")
    assert too_big.status_code == 413 and "2 MiB" in too_big.get_json()["error"]["message"]


# What slipped through the SVG filter before (each drawn, or refused: either way nothing of the
# SVG reaches a browser except as a download).
FILTER_BYPASSES = [
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>@import url(https://evil.example/x.css);'
    b'</style><rect width="10" height="10"/></svg>',
    b'<?xml-stylesheet href="https://evil.example/x.css"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><rect width="10" height="10"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>rect{fill:u\\72l(https://evil.example/a)}'
    b'</style><rect width="10" height="10"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><a><set attributeName="href" '
    b'to="java&#9;script:alert(1)"/><rect width="10" height="10"/></a></svg>',
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" width="10" '
    'height="10"><rect width="10" height="10"/></svg>'.encode("utf-16"),
]


def test_an_svg_is_drawn_into_a_png_and_its_original_is_only_a_download(room):
    motion = room.motion("Approval of New WeGO Logo", kind="logo", title="The new WeGO logo")
    answer = upload(room, motion["id"], CLEAN_SVG, "mark.svg", "image/svg+xml", "Circle mark")
    assert answer.status_code == 201, answer.get_json()
    delegate = room.delegate("Almaty")
    shown = delegate.get(answer.get_json()["image_url"].removeprefix("/api/v1"))
    assert shown.mimetype == "image/png" and b"<svg" not in shown.data
    assert max(Image.open(io.BytesIO(shown.data)).size) == 1024
    original = delegate.get(answer.get_json()["original_url"].removeprefix("/api/v1"))
    assert original.data == CLEAN_SVG and original.mimetype == "image/svg+xml"
    assert original.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in original.headers["Content-Security-Policy"]
    for index, svg in enumerate(FILTER_BYPASSES):
        answer = upload(room, motion["id"], svg, f"bypass-{index}.svg", "image/svg+xml", f"Bypass {index}")
        assert answer.status_code in (201, 422), answer.get_json()
        if answer.status_code == 201:
            shown = delegate.get(answer.get_json()["image_url"].removeprefix("/api/v1"))
            assert shown.mimetype == "image/png"
            Image.open(io.BytesIO(shown.data)).load()


def test_drawing_an_svg_fetches_nothing_and_reads_no_file(tmp_path):
    """Whatever the SVG names (an address on the network, a file on the server, a stylesheet),
    the drawing is made from the file's own content: no connection is opened, no file is read."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    red = tmp_path / "red.png"
    red.write_bytes(png(10, 10, (255, 0, 0)))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
           f'height="10"><style>@import url(http://127.0.0.1:{port}/a.css);</style>'
           f'<image xlink:href="http://127.0.0.1:{port}/b.png" width="10" height="10"/>'
           f'<image xlink:href="file://{red}" width="10" height="10"/>'
           f'<image xlink:href="{red}" width="10" height="10"/></svg>').encode()
    try:
        picture = Image.open(io.BytesIO(draw_svg(svg))).convert("RGBA")
        with pytest.raises(socket.timeout):
            listener.accept()
    finally:
        listener.close()
    assert (255, 0, 0, 255) not in _colours(picture)  # the red file was not read
    inline = png(10, 10, (255, 0, 0))
    with_data = svg.replace(f"file://{red}".encode(), b"data:image/png;base64," + base64.b64encode(inline))
    assert (255, 0, 0, 255) in _colours(Image.open(io.BytesIO(draw_svg(with_data))).convert("RGBA"))


def _colours(picture) -> set:
    return {colour for _, colour in picture.getcolors(maxcolors=picture.width * picture.height)}


def test_an_elected_svg_logo_is_the_memorandum_s_logo(room):
    """Before, an SVG winner silently left the default logo in the memorandum."""
    room.check_in(*CITIES)
    motion = room.motion("Approval of New WeGO Logo", kind="logo", title="The new WeGO logo")
    svg = upload(room, motion["id"], CLEAN_SVG, "mark.svg", "image/svg+xml", "Circle mark").get_json()
    upload(room, motion["id"], png(), "blue.png", "image/png", "Blue")
    poll = room.open_poll(motion["id"]).get_json()
    for city in CITIES:
        room.vote(poll["id"], city, svg["value"])
    assert room.close(poll["id"])["winner"] == svg["value"]
    picture = room.desk.get(svg["image_url"].removeprefix("/api/v1")).data
    logo = room.desk.get("/organisation/logo")
    assert (logo.mimetype, logo.data) == ("image/png", picture)
    assert room.desk.post(f"/meetings/{room.meeting_id}/memorandum").status_code == 201
    document = Document(io.BytesIO(room.desk.get(f"/meetings/{room.meeting_id}/memorandum.docx").data))
    header_images = [part.blob for part in document.sections[0].header.part.related_parts.values()
                     if part.content_type.startswith("image/")]
    assert header_images == [picture]
