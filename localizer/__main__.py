"""``python -m neuroloc``: the same command line as the ``neuroloc`` script."""

from neuroloc.cli.main import main

main(prog_name="neuroloc")
