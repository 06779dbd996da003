"""The Flask application behind `tilint serve`: a page for people, and a small JSON API.

Built with an app factory so tests (and anyone embedding tilint) can make an app with their own
rule set and limits. Safety is part of the factory rather than of the command, so every way of
running the app gets it: a size limit on uploads, error pages instead of tracebacks, autoescaped
templates, a Content-Security-Policy that allows nothing from outside the app, and (when bound
to this computer only) a Host check that stops other web sites reaching it by DNS rebinding.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
from pathlib import PurePath
from typing import Any

from flask import Flask, Response, jsonify, render_template, request, send_file
from werkzeug.exceptions import BadRequest, HTTPException, SecurityError

from tilint import __version__
from tilint.ruleset import RuleSet
from tilint.web import presenting, reviewed
from tilint.web.checking import (
    PASTE_FORMATS,
    Checked,
    Checker,
    InputError,
    safe_filename,
    supported_extensions,
)

DEFAULT_MAX_UPLOAD_MB = 20
#: hosts a browser may name when the server listens on this computer only
LOCAL_HOSTS = ["127.0.0.1", "localhost"]
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: nothing outside the app: no CDN, no fonts, no analytics, no inline script
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

log = logging.getLogger("tilint.web")


def create_app(
    ruleset: RuleSet | None = None,
    *,
    max_upload_mb: float = DEFAULT_MAX_UPLOAD_MB,
    trusted_hosts: list[str] | None = None,
    model: str | None = None,
    nlp: Any = None,
    linter: Any = None,
    settings: Any = None,
    workers: int = 0,
    timeout: float | None = None,
) -> Flask:
    """Make the web app.

    `ruleset` defaults to the built-in rules. One `Linter` is built here (or passed in as
    `linter`, which then supplies the rules, or as part of `settings`, the configured run
    `tilint serve` shares with `tilint check`, whose suppressions and per-file ignores then apply
    too) and shared by all requests; spaCy itself loads on the
    first check, or earlier through `app.extensions["tilint"].warm_up()`. `max_upload_mb` caps the
    request body (an upload, or pasted text). `trusted_hosts`, when given, is the list of host
    names the app answers to; `tilint serve` passes `LOCAL_HOSTS` when bound to 127.0.0.1 or
    localhost. With `workers`, each request is checked on a bounded pool of that many worker
    processes, under `timeout` seconds (tilint.web.checking); without, in the request's thread.
    """
    postprocess = None
    if settings is not None:
        linter, postprocess = settings.linter, settings.finding_filter()
    if linter is None:
        from tilint.engine import Linter

        if ruleset is None:
            from tilint.ruleset import load_ruleset

            ruleset = load_ruleset()
        linter = Linter(ruleset, model=model, nlp=nlp)
    checker = Checker(linter, postprocess, workers=workers, timeout=timeout)
    limit = int(max_upload_mb * 1_000_000)

    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=limit,
        # pasted text and the reviewed-copy field are form fields, not files: same limit
        MAX_FORM_MEMORY_SIZE=limit,
        TRUSTED_HOSTS=trusted_hosts or None,
        PROPAGATE_EXCEPTIONS=False,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.json.sort_keys = False  # keep the field order of `tilint check --format json`
    app.json.ensure_ascii = False
    app.extensions["tilint"] = checker
    app.jinja_env.globals.update(
        version=__version__,
        max_upload_mb=_format_mb(max_upload_mb),
        accept=",".join(supported_extensions()),
    )

    _register_pages(app, checker)
    _register_api(app, checker)
    _register_errors(app, max_upload_mb, trusted_hosts)

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint != "static":
            # results are the person's document: never keep them in a shared cache
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return app


def _format_mb(mb: float) -> str:
    return f"{mb:g}"


# -- pages ---------------------------------------------------------------------------------------
def _form_upload() -> tuple[str, bytes] | None:
    """The document a form sent, if any: a chosen file, or the copy the results page sends back."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return upload.filename, upload.read()
    encoded = request.form.get("document")
    if encoded:
        try:
            return request.form.get("filename", ""), base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise InputError("the document sent back for review is damaged; upload it again") from None
    return None


def _from_form(checker: Checker) -> Checked:
    """A check of whatever the form sent: a chosen file wins over the text box."""
    upload = _form_upload()
    if upload is not None:
        return checker.check_upload(*upload)
    return checker.check_text(request.form.get("text"), request.form.get("format"))


def _register_pages(app: Flask, checker: Checker) -> None:
    @app.get("/")
    def index():
        return render_template("index.html", text="", fmt="text", error=None, can_review=reviewed.available())

    @app.post("/check")
    def check_page():
        try:
            checked = _from_form(checker)
        except InputError as exc:
            page = render_template(
                "index.html",
                text=request.form.get("text", ""),
                fmt=request.form.get("format", "text"),
                error=str(exc),
                can_review=reviewed.available(),
            )
            return page, exc.status
        view = presenting.build(checked, checker.ruleset)
        can_review = view.reviewable and reviewed.available()
        unavailable = reviewed.UNAVAILABLE
        # The page carries the document back for the reviewed copy, base64-encoded: a third larger,
        # and it must fit under the same request limit when it is sent back.
        if can_review and len(checked.data) * 4 // 3 + 4096 > app.config["MAX_CONTENT_LENGTH"]:
            can_review = False
            unavailable = (
                "This document is too large to send back from this page: choose it again on the first "
                "page and press \u201cDownload a reviewed Word copy\u201d."
            )
        document = base64.b64encode(checked.data).decode("ascii") if can_review else None
        return render_template(
            "result.html", view=view, can_review=can_review, document=document, filename=checked.filename,
            unavailable=unavailable,
        )

    @app.post("/reviewed")
    def reviewed_copy():
        """The uploaded .docx back, with suggested changes tracked and a comment on each other finding."""
        if not reviewed.available():
            page = render_template("error.html", code=501, title="Not available",
                                   message=reviewed.UNAVAILABLE)
            return page, 501
        try:
            upload = _form_upload()
            if upload is None:
                raise InputError("choose a Word .docx document to get a reviewed copy of it")
            name, data = safe_filename(upload[0]), upload[1]
            if not name.lower().endswith(".docx"):
                raise InputError("a reviewed copy can only be made of a Word .docx document")
            if not data:
                raise InputError(f"{name}: the file is empty")
            copy = reviewed.reviewed_copy(checker, name, data)
        except InputError as exc:
            if exc.status != 400:
                return render_template("error.html", code=exc.status, title="Cannot check this",
                                       message=str(exc)), exc.status
            raise BadRequest(str(exc)) from None
        download = f"{PurePath(name).stem}.reviewed.docx"
        return send_file(io.BytesIO(copy), mimetype=DOCX_MIMETYPE, as_attachment=True, download_name=download)

    @app.get("/rules")
    def rules_page():
        rules = sorted(checker.ruleset.all_rules(), key=lambda r: (r.category, r.id))
        return render_template("rules.html", rules=rules)


# -- JSON API ------------------------------------------------------------------------------------
def _from_api(checker: Checker) -> Checked:
    upload = request.files.get("file")
    if upload is not None:
        return checker.check_upload(upload.filename, upload.read())
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise InputError('send a JSON object such as {"text": "...", "format": "text"}')
        text, fmt = body.get("text"), body.get("format")
        if not isinstance(text, str):
            raise InputError('"text" must be a string')
        if fmt is not None and not isinstance(fmt, str):
            raise InputError(f'"format" must be one of {", ".join(PASTE_FORMATS)}')
        return checker.check_text(text, fmt)
    if "text" in request.form:
        return checker.check_text(request.form.get("text"), request.form.get("format"))
    raise InputError('send JSON {"text": "..."} or a multipart upload in a field named "file"')


def _register_api(app: Flask, checker: Checker) -> None:
    @app.post("/api/check")
    def api_check():
        """The same object as one entry of `tilint check --format json`'s "files"."""
        try:
            checked = _from_api(checker)
        except InputError as exc:
            return jsonify(error=str(exc), status=exc.status), exc.status
        return jsonify(checked.result.to_json())

    @app.get("/api/rules")
    def api_rules():
        """The same document as `tilint rules --format json`."""
        return jsonify(version=1, rules=[rule.to_json() for rule in checker.ruleset.all_rules()])


# -- errors --------------------------------------------------------------------------------------
def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _register_errors(app: Flask, max_upload_mb: float, trusted_hosts: list[str] | None) -> None:
    too_large = (
        f"The upload is larger than this server's {_format_mb(max_upload_mb)} MB limit. "
        "Start tilint serve with a larger --max-upload-mb to check bigger documents."
    )
    titles = {400: "Cannot check this", 404: "Page not found", 405: "Not allowed", 413: "Too large"}

    def respond(code: int, message: str):
        if _wants_json():
            return jsonify(error=message, status=code), code
        title = titles.get(code, "Something went wrong")
        try:
            return render_template("error.html", code=code, title=title, message=message), code
        except Exception:  # e.g. no URL adapter for a refused Host: still answer, in plain text
            return Response(f"{title}: {message}\n", status=code, mimetype="text/plain")

    @app.errorhandler(SecurityError)
    def untrusted_host(exc: SecurityError):
        # Before routing, so no page can be built: plain text, naming the addresses that work.
        message = f"This tilint server answers only to {' and '.join(trusted_hosts or [])}."
        if _wants_json():
            return jsonify(error=message, status=400), 400
        return Response(message + "\n", status=400, mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        message = too_large if code == 413 else (exc.description or exc.name)
        return respond(code, message)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("tilint serve: unexpected error")
        return respond(500, f"tilint hit an unexpected problem ({type(exc).__name__}). "
                            "The details are in the terminal that runs tilint serve.")
