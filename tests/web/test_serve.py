"""`curriclint serve` over real sockets: the token and Host checks, upload limits, zip safety,
private temporary files, concurrent uploads and a single engine."""
from __future__ import annotations

import gc
import io
import os
import threading
import zipfile

import pytest
from serve_helpers import DEFAULT_LIMITS, EXAMPLES, example, examples_zip, running, zip_of

from curriclint.discover import Target
from curriclint.engine.linter import Linter
from curriclint.engine.runtime import Engine
from curriclint.extract import NOTES_HEADING
from curriclint.web.uploads import Limits

HOSTILE = b"<script>window.__pwned = 1</script> Black patients feel less pain than white patients."


@pytest.fixture(scope="module")
def client(checker):
    with running(checker) as client:
        yield client


def _leftovers(client) -> list:
    return list(client.server.uploads.root.iterdir())


# the door ---------------------------------------------------------------------------------

def test_without_the_token_every_request_is_refused(client):
    for path in ("/", "/static/serve.js", "/jobs"):
        reply = client.get(path, token=False)
        assert reply.status == 403
        assert "full link" in reply.text
    assert client.request("POST", "/jobs", body=b"", token=False).status == 403


def test_a_wrong_token_is_refused(client):
    wrong = client.server.token[:-1] + ("A" if client.server.token[-1] != "A" else "B")
    assert client.get(f"/{wrong}/", token=False).status == 403
    assert client.get(f"/{client.server.token[:10]}/", token=False).status == 403
    assert client.get("/").status == 200


def test_a_foreign_host_header_is_refused(client):
    """DNS rebinding: a page on evil.example re-pointed to 127.0.0.1 sends its own name."""
    port = client.server.port
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", f"localhost.evil.example:{port}"):
        reply = client.get("/", headers={"Host": host})
        assert reply.status == 403, host
        assert "address" in reply.text
    assert client.get("/", headers={"Host": f"localhost:{port}"}).status == 200


def test_files_from_another_origin_are_refused(client):
    for origin in ("http://evil.example", "null"):
        reply = client.upload([("a.txt", b"text")], headers={"Origin": origin})
        assert reply.status == 403, origin
    reply = client.upload([("a.txt", b"text")], headers={"Origin": f"http://{client.host}"})
    assert reply.status == 202
    client.wait(reply.json()["status"])


def test_every_response_carries_the_security_headers(client):
    replies = [client.get("/"), client.get("/static/serve.js"), client.get("/jobs/nope/status"),
               client.get("/", token=False)]
    for reply in replies:
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
        assert reply.headers["Referrer-Policy"] == "no-referrer"
        assert reply.headers["Cache-Control"] == "no-store"
        policy = reply.headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
    assert [r.status for r in replies] == [200, 200, 404, 403]


def test_the_page_works_offline(client):
    """No CDN: every script, style and form target is this server's own."""
    page = client.get("/").text
    assert "http://" not in page and "https://" not in page
    assert f'src="{client.prefix}/static/serve.js"' in page


# a check, end to end ----------------------------------------------------------------------

def test_a_deck_is_checked_and_its_folder_removed(client):
    status, report = client.check([example("renal-physiology.pptx")])
    findings = report["findings"]
    assert {f["path"] for f in findings} == {"renal-physiology.pptx"}
    table = [f for f in findings if f["rule_id"] == "RBA001" and f["location"]["part"] == "table"]
    assert [(f["location"]["index"], f["location"]["row"], f["location"]["col"]) for f in table] == [(4, 3, 3)]
    assert _leftovers(client) == []
    page = client.get(status["report"], token=False)
    assert page.status == 200
    assert "4 findings in 1 file" in page.text


def test_the_report_is_the_html_report_locked_by_its_own_policy(client):
    status, _ = client.check([example("renal-physiology.pptx")])
    report = client.get(status["report"] + "report", token=False)
    assert report.status == 200
    assert "slide 4 (table r3c3)" in report.text
    policy = report.headers["Content-Security-Policy"]
    assert "script-src 'sha256-" in policy and "frame-ancestors 'self'" in policy
    own = policy.removesuffix("; frame-ancestors 'self'")
    assert f'http-equiv="Content-Security-Policy" content="{own}"' in report.text


def test_reports_download_as_files(client):
    status, _ = client.check([example("question-bank.gift")])
    for key, name, kind in (("html", "curriclint-report.html", "text/html"),
                            ("csv", "curriclint-report.csv", "text/csv"),
                            ("json", "curriclint-report.json", "application/json")):
        reply = client.get(status["report"] + f"download/{key}", token=False)
        assert reply.status == 200
        assert reply.headers["Content-Disposition"] == f"attachment; filename={name}"
        assert reply.headers["Content-Type"].startswith(kind)
    assert client.get(status["report"] + "download/nothing", token=False).status == 404


def test_document_text_and_file_names_stay_text(client):
    name = "<img src=x onerror=alert(1)>.txt"
    status, report = client.check([(name, HOSTILE)])
    assert report["files"][0]["path"] == name
    page = client.get(status["report"], token=False).text
    html = client.get(status["report"] + "report", token=False).text
    for text in (page, html):
        assert "<img src=x" not in text and "<script>window" not in text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html


def test_a_bad_file_gets_its_error_in_the_report(client):
    status, report = client.check([("broken.pptx", b"this is not a deck"), example("question-bank.gift")])
    broken = next(f for f in report["files"] if f["path"] == "broken.pptx")
    assert broken["status"] == "error" and "PowerPoint" in broken["error"]
    assert report["summary"]["unreadable"] == 1
    assert "1 file could not be read" in client.get(status["report"], token=False).text


def test_two_files_of_the_same_name_stay_apart(client):
    _, report = client.check([example("question-bank.gift"), example("question-bank.gift")])
    assert [f["path"] for f in report["files"]] == ["question-bank.gift", "question-bank (2).gift"]


def test_an_empty_upload_asks_for_files(client):
    reply = client.upload([])
    assert reply.status == 400 and "Choose at least one file" in reply.text


def test_unknown_and_unfinished_jobs_say_so(client):
    assert "no longer kept" in client.get("/jobs/nope/").text


# annotated copies -------------------------------------------------------------------------

def _notes_of_slide(data: bytes, number: int) -> str:
    from pptx import Presentation

    return Presentation(io.BytesIO(data)).slides[number - 1].notes_slide.notes_text_frame.text


def test_each_file_with_findings_gets_an_annotated_copy(client):
    status, _ = client.check([("examples.zip", examples_zip())])
    page = client.get(status["report"], token=False).text
    names = ["case-vignettes.curriclint.docx", "pulmonary-function.curriclint.pdf",
             "question-bank.curriclint-review.xlsx", "renal-physiology.curriclint.pptx"]
    for number, name in enumerate(names, 1):
        assert f'download/copy-{number}">{name}</a>' in page
    bundle = client.get(status["report"] + "download/copies", token=False)
    assert bundle.headers["Content-Disposition"] == "attachment; filename=annotated-copies.zip"
    with zipfile.ZipFile(io.BytesIO(bundle.body)) as zf:
        assert sorted(zf.namelist()) == [f"examples/{name}" for name in names]
        deck = zf.read("examples/renal-physiology.curriclint.pptx")
    assert NOTES_HEADING in _notes_of_slide(deck, 4) and "RBA001" in _notes_of_slide(deck, 4)
    assert _leftovers(client) == []


def test_a_copy_is_named_after_the_file_as_the_user_named_it(client):
    status, _ = client.check([("Renal: week 1?.pptx", (EXAMPLES / "renal-physiology.pptx").read_bytes())])
    copy = client.get(status["report"] + "download/copy-1", token=False)
    assert copy.status == 200
    assert copy.headers["Content-Disposition"] == 'attachment; filename="Renal: week 1?.curriclint.pptx"'
    assert copy.headers["Content-Type"] == \
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert "RBA001" in _notes_of_slide(copy.body, 4)


def test_a_file_that_cannot_be_annotated_says_why(client):
    status, _ = client.check([("notes.txt", HOSTILE)])
    page = client.get(status["report"], token=False).text
    assert "No copy of:" in page and "notes.txt: text files cannot be annotated" in page
    assert client.get(status["report"] + "download/copies", token=False).status == 404


# zips -------------------------------------------------------------------------------------

def test_a_course_zip_is_unpacked_and_shown_below_its_name(client):
    status, report = client.check([("examples.zip", examples_zip())])
    assert status["files"] == status["read"] == 4
    assert report["summary"]["findings"] == 11
    assert {f["path"] for f in report["files"]} == {
        f"examples.zip/examples/{name}" for name in
        ("case-vignettes.docx", "pulmonary-function.pdf", "question-bank.gift", "renal-physiology.pptx")}
    assert _leftovers(client) == []


def test_a_zip_skips_what_curriclint_does_not_read(client):
    members = {"course/week 1/notes.txt": HOSTILE, "course/logo.png": b"\x89PNG", ".DS_Store": b"x",
               "__MACOSX/course/._notes.txt": b"\x00\x05\x16\x07", "course/Лекция.txt": HOSTILE}
    _, report = client.check([("course.zip", zip_of(members))])
    assert sorted(f["path"] for f in report["files"]) == ["course.zip/course/week 1/notes.txt",
                                                         "course.zip/course/Лекция.txt"]
    assert report["summary"]["skipped"] == 2


@pytest.mark.parametrize("members, links, message", [
    ({"course/../../evil.txt": b"x"}, None, "outside the package ('course/../../evil.txt')"),
    ({"/etc/evil.txt": b"x"}, None, "outside the package"),
    ({"course/a.txt": b"x"}, {"course/passwords.txt": "/etc/passwd"}, "holds a link"),
])
def test_an_unsafe_zip_is_refused_with_a_message(client, members, links, message):
    reply = client.upload([("course.zip", zip_of(members, links))])
    assert reply.status == 400
    assert message in reply.text and "course.zip" in reply.text
    assert _leftovers(client) == []


def test_a_file_named_zip_that_is_not_one_is_refused(client):
    reply = client.upload([("course.zip", b"not a zip at all")])
    assert reply.status == 400 and "course.zip is not a zip file" in reply.text


# limits -----------------------------------------------------------------------------------

def test_an_oversized_upload_gets_413_and_a_clear_message(checker):
    with running(checker, Limits(max_bytes=2**20, max_files=500)) as client:
        reply = client.upload([("big.txt", b"a" * (2**20 + 2**19))])
        assert reply.status == 413
        assert reply.text.startswith("These files add up to more than 1 MB")
        assert "--max-upload-mb" in reply.text
        page = client.get("/").text
        assert 'data-max-bytes="1048576"' in page and "1 MB at a time" in page
        assert _leftovers(client) == []


def test_too_many_files_get_a_clear_message(checker):
    with running(checker, Limits(max_bytes=DEFAULT_LIMITS.max_bytes, max_files=3)) as client:
        four = [(f"n{i}.txt", b"text") for i in range(4)]
        reply = client.upload(four)
        assert reply.status == 413
        assert reply.text.startswith("That is 4 files; curriclint takes at most 3 at once.")
        in_a_zip = client.upload([("course.zip", zip_of({name: data for name, data in four}))])
        assert in_a_zip.status == 413 and "That is 4 files" in in_a_zip.text
        # beyond what the form parser accepts at all
        many = client.upload([(f"n{i}.txt", b"text") for i in range(40)])
        assert many.status == 413 and "curriclint takes at most 3 at once" in many.text
        assert _leftovers(client) == []


def test_only_the_newest_jobs_are_kept(checker):
    with running(checker, keep=2) as client:
        first, second, third = (client.check([(f"n{i}.txt", b"text")])[0] for i in range(3))
        assert "no longer kept" in client.get(first["report"], token=False).text
        assert client.get(third["report"], token=False).status == 200


# the server's life ------------------------------------------------------------------------

def test_the_upload_folder_is_private_and_removed_at_shutdown(checker):
    with running(checker) as client:
        root = client.server.uploads.root
        if os.name == "posix":
            assert root.stat().st_mode & 0o777 == 0o700
        client.check([example("question-bank.gift")])
    assert not root.exists()


def test_concurrent_uploads_get_their_own_reports_from_one_engine(client, checker):
    groups = [[example("renal-physiology.pptx"), example("pulmonary-function.pdf")],
              [example("case-vignettes.docx"), example("question-bank.gift")]]
    expected = []
    for files in groups:
        run = checker.check([Target(EXAMPLES / name, name, True) for name, _ in files])
        expected.append(sorted((f.path, f.rule_id, f.location["index"], f.text) for f in run.findings))
    built = _engines()
    barrier = threading.Barrier(len(groups))
    reports: dict[int, dict] = {}

    def upload(number: int) -> None:
        barrier.wait()
        reports[number] = client.check(groups[number])[1]

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(len(groups))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for number, files in enumerate(groups):
        got = sorted((f["path"], f["rule_id"], f["location"]["index"], f["text"])
                     for f in reports[number]["findings"])
        assert got == expected[number]
        assert {f["path"] for f in reports[number]["files"]} == {name for name, _ in files}
    assert _engines() == built, "an upload built a linter or engine of its own"
    assert _leftovers(client) == []


def _engines() -> tuple[int, int]:
    gc.collect()
    objects = gc.get_objects()
    return sum(isinstance(o, Linter) for o in objects), sum(isinstance(o, Engine) for o in objects)
