"""The web page of ``curriclint serve``: drop files, watch them upload and be read, then read
the same report as ``curriclint check --format html`` and download it or annotated copies.

Routes (below the token prefix the Gate strips):
  GET  /                          the upload page
  POST /jobs                      store the files and start checking them (202 + job status)
  GET  /jobs/<id>/status          reading, done or failed (the page polls it)
  GET  /jobs/<id>/                the result: download buttons and the report in a frame
  GET  /jobs/<id>/report          the HTML report itself, locked down by its own policy
  GET  /jobs/<id>/download/<key>  a report (html, csv, json) or annotated copy, as a file
"""
from __future__ import annotations

import html
import io
import re

from flask import Flask, Response, abort, jsonify, render_template, request, send_file, url_for
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from curriclint.web.checker import Checker
from curriclint.web.downloads import outcome
from curriclint.web.gate import Gate, HostCheck
from curriclint.web.jobs import DONE, Jobs
from curriclint.web.uploads import Limits, UploadFolder, UploadRefused

# Room for the multipart framing around the files themselves.
MULTIPART_ALLOWANCE = 1024 * 1024
_REPORT_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def report_policy(report: str) -> str:
    """The report's own Content-Security-Policy (from its meta tag), sent as a header too, so a
    served report is as locked down as an e-mailed one; only our result page may frame it."""
    found = _REPORT_POLICY.search(report)
    policy = html.unescape(found.group(1)) if found else "default-src 'none'"
    return policy + "; frame-ancestors 'self'"


def create_app(checker: Checker, uploads: UploadFolder, token: str, host_check: HostCheck,
               limits: Limits, keep: int = 20) -> Flask:
    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=limits.max_bytes + MULTIPART_ALLOWANCE,
                      MAX_FORM_PARTS=limits.max_files + 10)
    app.wsgi_app = Gate(app.wsgi_app, token, host_check)
    jobs = Jobs(keep)

    def finished(job_id: str):
        job = jobs.get(job_id)
        if job is None:
            abort(404, f"This check is no longer kept (curriclint keeps the last {keep}): "
                       "check the files again.")
        if job.state != DONE:
            abort(409, "This check has not finished: go back to the page that is reading the files.")
        return job

    @app.get("/")
    def index():
        return render_template("index.html", limits=limits)

    @app.post("/jobs")
    def create_job():
        files = [f for f in request.files.getlist("files") if f.filename]
        if not files:
            return _text("Choose at least one file to check.", 400)
        try:
            upload = uploads.receive(files, limits, checker.config)
        except UploadRefused as exc:
            return _text(str(exc), exc.status)

        def work(job):
            try:
                run = checker.check(upload.targets, upload.skipped, progress=job.progress)
                return outcome(run, checker.ruleset, upload)
            finally:
                upload.remove()

        job = jobs.start(len(upload.targets), work)
        return jsonify(status=url_for("job_status", job_id=job.id), files=job.files), 202

    @app.get("/jobs/<job_id>/status")
    def job_status(job_id: str):
        job = jobs.get(job_id)
        if job is None:
            abort(404, "This check is no longer kept: check the files again.")
        return jsonify(state=job.state, files=job.files, read=job.read, message=job.message,
                       report=url_for("result", job_id=job.id))

    @app.get("/jobs/<job_id>/")
    def result(job_id: str):
        job = finished(job_id)
        return render_template("result.html", job=job, outcome=job.outcome)

    @app.get("/jobs/<job_id>/report")
    def report(job_id: str):
        page = finished(job_id).outcome.downloads["html"].data
        response = Response(page, mimetype="text/html")
        response.headers["Content-Security-Policy"] = report_policy(page.decode("utf-8"))
        return response

    @app.get("/jobs/<job_id>/download/<key>")
    def download(job_id: str, key: str):
        item = finished(job_id).outcome.downloads.get(key)
        if item is None:
            abort(404, "No such file in this check.")
        return send_file(io.BytesIO(item.data), mimetype=item.mimetype, as_attachment=True,
                         download_name=item.filename)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        if (request.content_length or 0) > limits.max_bytes:
            return _text(limits.too_large(), 413)
        return _text(limits.too_many(), 413)

    @app.errorhandler(HTTPException)
    def plain(error: HTTPException):
        return _text(error.description or error.name, error.code or 500)

    return app


def _text(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")
