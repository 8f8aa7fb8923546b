"""A file sent as the multipart field `file`, and a table sent back as CSV or XLSX: shared by
the routes that import and export lists."""
import io

from flask import request, send_file

from governance import spreadsheets
from governance.errors import ApiError

FILE_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]}}}}}
TABLE_RESPONSE = {"responses": {"200": {"description": "the list as a file", "content": {
    spreadsheets.CSV_MIMETYPE: {"schema": {"type": "string", "format": "binary"}},
    spreadsheets.XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def uploaded_file() -> tuple[bytes, str]:
    """(bytes, file name) of the multipart field `file`, or 422."""
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, "invalid", "Send the file as the multipart field 'file'.", {"file": ["missing"]})
    return upload.read(), (upload.filename or "")[:200]


def table_file(header: list[str], rows: list[list], *, name: str, format: str):
    """The rows as a download: `name`.csv (UTF-8 with BOM) or `name`.xlsx."""
    if format == "xlsx":
        data, mimetype = spreadsheets.write_xlsx(header, rows, title=name), spreadsheets.XLSX_MIMETYPE
    else:
        data, mimetype = spreadsheets.write_csv(header, rows), f"{spreadsheets.CSV_MIMETYPE}; charset=utf-8"
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=f"{name}.{format}",
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
