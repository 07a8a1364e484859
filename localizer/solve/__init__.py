"""Solving: the constraint problem, its two backends (Z3 and python-constraint) and the search
for the best minimal lesion sets. Nothing here knows about terminals or output formats."""
