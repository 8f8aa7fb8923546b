"""The EXCOM 2024 room for voting tests: the demo meeting with its people signed in."""
DEMO_PASSWORD = "excom-demo"
SECRETARIAT = "secretary-general@excom.example.org"
CHAIR = "seoul@excom.example.org"
OBSERVER = "yonhap@excom.example.org"


class Room:
    def __init__(self, api, meeting_id):
        self.api = api
        self.meeting_id = meeting_id
        self.desk = api.as_user(SECRETARIAT, DEMO_PASSWORD)
        self.chair = api.as_user(CHAIR, DEMO_PASSWORD)
        meeting = self.desk.get(f"/meetings/{meeting_id}").get_json()
        self.open_items = {i["title"]: i["id"] for i in meeting["sessions"][0]["items"]}
        self.closed_items = {i["title"]: i["id"] for i in meeting["sessions"][1]["items"]}
        participants = self.desk.get(f"/meetings/{meeting_id}/participants").get_json()
        self.delegates = {p["affiliation"]: p for p in participants if p["group"] == "excom_member"}
        self.members = {m["name"]: m["id"] for m in self.desk.get("/members").get_json()}
        self._clients = {}

    def delegate(self, city):
        if city not in self._clients:
            email = self.desk.get(f"/users/{self.delegates[city]['user_id']}").get_json()["email"]
            self._clients[city] = self.api.as_user(email, DEMO_PASSWORD)
        return self._clients[city]

    def check_in(self, *cities, mode="in_person"):
        for city in cities:
            answer = self.desk.post(f"/meetings/{self.meeting_id}/attendance",
                                    json={"user_id": self.delegates[city]["user_id"], "mode": mode})
            assert answer.status_code == 200, answer.get_json()

    def check_out(self, *cities):
        for city in cities:
            self.desk.post(f"/meetings/{self.meeting_id}/attendance",
                           json={"user_id": self.delegates[city]["user_id"], "present": False})

    def motion(self, item_title, **fields):
        item_id = self.open_items.get(item_title) or self.closed_items[item_title]
        answer = self.desk.post(f"/items/{item_id}/motions", json=fields)
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()

    def open_poll(self, motion_id):
        return self.chair.post(f"/motions/{motion_id}/polls")

    def vote(self, poll_id, city, choice):
        return self.delegate(city).post(f"/polls/{poll_id}/votes", json={"choice": choice})

    def close(self, poll_id, **body):
        answer = self.chair.post(f"/polls/{poll_id}/close", json=body or None)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["result"]


CITIES = ["Abu Dhabi", "Abuja", "Almaty", "Beyoğlu", "Chengdu", "Cuenca", "Hebron", "Kampala", "Makati",
          "São Paulo", "Seberang Perai", "Seoul"]
