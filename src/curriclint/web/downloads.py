"""What a finished check offers to download: the report as a web page, a spreadsheet and data
(the renderers of ``curriclint check --format``), and an annotated copy of each file with
findings (``curriclint.annotate``), one by one or all in a zip. Everything is read into
memory before the upload's folder is removed."""
from __future__ import annotations

import io
import mimetypes
import zipfile
from pathlib import Path, PurePosixPath

from curriclint.annotate import AnnotateError, annotate_file, copy_format, copy_name
from curriclint.report import render, summary
from curriclint.runner import RunResult
from curriclint.web.jobs import Download, Outcome
from curriclint.web.uploads import Upload

REPORTS = {
    "html": ("curriclint-report.html", "text/html; charset=utf-8"),
    "csv": ("curriclint-report.csv", "text/csv; charset=utf-8"),
    "json": ("curriclint-report.json", "application/json"),
}
COPIES_ZIP = "annotated-copies.zip"


def outcome(run: RunResult, ruleset, upload: Upload) -> Outcome:
    downloads = {key: Download(filename, mimetype, render(key, run, ruleset).encode("utf-8"))
                 for key, (filename, mimetype) in REPORTS.items()}
    result = Outcome(summary(run), downloads)
    _add_copies(result, run, ruleset, upload)
    return result


def _add_copies(result: Outcome, run: RunResult, ruleset, upload: Upload) -> None:
    """Annotate each file with findings from its stored copy; name the copy after the name the
    user knows (the stored one may have been cleaned)."""
    sources = {target.shown: target.path for target in upload.targets}
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for number, checked in enumerate(run.files, 1):
            if checked.status != "ok" or not any(f.suppressed is None for f in checked.findings):
                continue
            try:
                copy = annotate_file(sources[checked.path], checked, upload.folder / f"annotated-{number}",
                                     ruleset=ruleset)
            except AnnotateError as exc:
                result.copy_notes.append((checked.path, str(exc)))
                continue
            name = copy_name(Path(PurePosixPath(checked.path).name), copy_format(checked))
            data = copy.read_bytes()
            key = f"copy-{len(result.copies) + 1}"
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            result.downloads[key] = Download(name, mimetype, data)
            result.copies.append(key)
            bundle.writestr(_place_in_bundle(checked.path, name), data)
    if result.copies:
        result.downloads["copies"] = Download(COPIES_ZIP, "application/zip", archive.getvalue())


def _place_in_bundle(shown: str, name: str) -> str:
    """The copy's path inside the zip of all copies: beside where its file was shown, without
    the name of the uploaded zip it came from."""
    parts = PurePosixPath(shown).with_name(name).parts
    return "/".join(parts[1:] if len(parts) > 1 and parts[0].lower().endswith(".zip") else parts)
