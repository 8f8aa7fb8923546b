"""/api/v1 documents on agenda items: upload, list, download, delete.

Visible exactly as their item is: to whom may not see the item, its documents do not exist (404).
"""
from flask import request, send_file

from governance.boundary import upload_limit
from governance.documents import filetypes, operations, storage
from governance.documents.schemas import DocumentIn, DocumentOut
from governance.errors import ApiError
from governance.extensions import Blueprint, db
from governance.lookup import require_secretariat, visible_document, visible_item

blp = Blueprint("documents", __name__, url_prefix="/api/v1",
                description="Documents on agenda items (the board pack): PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG")

# Served as a download and nothing else: never sniffed, never run, never framed.
DOWNLOAD_HEADERS = {"Content-Security-Policy": "default-src 'none'; sandbox", "X-Content-Type-Options": "nosniff",
                    "Cache-Control": "private, no-store", "Cross-Origin-Resource-Policy": "same-origin"}

# served with the type its bytes were judged to be at upload (governance.documents.filetypes)
DOWNLOAD_RESPONSE = {"200": {"description": "the file, as an attachment, with the content type judged at upload",
                             "content": {kind.content_type: {"schema": {"type": "string", "format": "binary"}}
                                         for kind in filetypes.ACCEPTED}}}
UPLOAD_DOC = {"requestBody": {"content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "title"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "PDF, DOCX, XLSX, PPTX, ODT, PNG or JPEG, judged by its content; "
                                           "at most EXCOM_DOCUMENT_MAX_BYTES (25 MiB by default)"},
                   "title": {"type": "string", "maxLength": 300}}}}}}}


@blp.route("/items/<int:item_id>/documents")
@blp.response(200, DocumentOut(many=True))
def list_documents(item_id):
    item, _ = visible_item(item_id)
    return item.documents


@blp.route("/items/<int:item_id>/documents", methods=["POST"])
@upload_limit(lambda: operations.max_bytes(), lambda: operations.too_large())
@blp.arguments(DocumentIn, location="form")
@blp.response(201, DocumentOut)
@blp.doc(**UPLOAD_DOC)
def upload_document(args, item_id):
    """Attach a document to the item (secretariat). 413 states the size limit; 422 says why a
    file was refused (not an accepted type by its content, damaged, a zip bomb, macros)."""
    item, user = visible_item(item_id)
    require_secretariat(user, "attach documents")
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, "invalid", "Send the document as the multipart field 'file'.", {"file": ["missing"]})
    data = upload.read(operations.max_bytes() + 1)
    # End the transaction before judging and writing the file: decoding a picture and the fsync
    # must not hold SQLite's lock (see governance.boundary); then record it in a fresh one.
    db.session.rollback()
    stored = operations.check_and_store(data, upload.filename or "")
    item, user = visible_item(item_id)
    require_secretariat(user, "attach documents")
    return operations.attach_document(item, actor=user, title=args["title"], stored=stored)


@blp.route("/documents/<int:document_id>")
@blp.doc(responses=DOWNLOAD_RESPONSE)
def download_document(document_id):
    document, _ = visible_document(document_id)
    path = storage.path_of(document.sha256)
    if not path.is_file():
        raise ApiError(404, "not_found", "This document's file is missing from the server; ask the secretariat.")
    response = send_file(path, mimetype=document.content_type, as_attachment=True,
                         download_name=document.filename, max_age=0, conditional=False, etag=False)
    response.headers.update(DOWNLOAD_HEADERS)
    response.headers["X-Document-SHA256"] = document.sha256
    return response


@blp.route("/documents/<int:document_id>", methods=["DELETE"])
@blp.response(204)
def delete_document(document_id):
    """Remove a document (secretariat). 409 kept_with_minutes once an approved memorandum lists it."""
    document, user = visible_document(document_id)
    require_secretariat(user, "remove documents")
    operations.delete_document(document, actor=user)
