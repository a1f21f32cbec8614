"""``curriclint serve``: a page on this computer where course directors who never open a
terminal drop their files and read the report. Needs the ``web`` extra (Flask, waitress)."""
