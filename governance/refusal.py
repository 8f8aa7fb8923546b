"""ApiError without Flask: a refusal a person can read (governance.errors answers it as API.md's
body). Here, apart from the error handlers, so that what raises refusals outside a request (a
child process of governance.apart checking an image or building a document) does not import
Flask, marshmallow and Werkzeug to start."""


class ApiError(Exception):
    """A refusal a person can read, with the status and code API.md gives it."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}
