"""neuroloc's command line: this folder, ``cli/``, installs as :mod:`neuroloc.cli`.

:mod:`neuroloc.cli.main` holds the ``neuroloc`` command (also ``python -m neuroloc``); it only
parses, calls the library and prints what the renderers return.
"""
