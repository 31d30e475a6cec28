"""``python -m pptoolkit``: the same command line as ``pptoolkit``."""

from pptoolkit.cli import main

main()
