"""``python -m curriclint``: the same command line as the ``curriclint`` script."""
from curriclint.cli import main

if __name__ == "__main__":
    main(prog_name="curriclint")
