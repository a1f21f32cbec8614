"""``python -m curriclint``: the same command line as the ``curriclint`` script."""
from curriclint.cli import entry

if __name__ == "__main__":
    entry()
