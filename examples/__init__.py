"""neuroloc's worked teaching examples, installed as the ``neuroloc_examples`` package data.

Each ``*.yaml`` file is a case file with a clinical story (``notes``), its teaching point
(``teaching``) and the answer a teacher expects (``expected``); ``neuroloc examples`` lists and
runs them, and the test suite checks every one (golden tests).
"""
