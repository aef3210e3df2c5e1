"""The course's one shared package.

Import modules by name, for example ``from helpers import checks`` then ``checks.compare(...)``.
Importing ``helpers`` does nothing else: no seeding, no plot styles, no file access.

Modules, one job each:

- ``helpers.data``: the cat photos (placed by set-up, checksum-verified) and their loading.
- ``helpers.checks``: the visible checks students run: coarse-to-fine comparisons that explain.
- ``helpers.plots``: figures the notebooks show.
- ``helpers.reference``: reference implementations, used only by hidden tests (never released).
- ``helpers.notebooks``: reading and writing notebooks the course's way (no outputs, stable ids).
- ``helpers.submissions``: building submissions (demo class, fixtures) and unpacking a class.
- ``helpers.grading``: running nbgrader (generate, autograde, feedback) for a whole class.
- ``helpers.reports``: grades CSV, printed table, grade-distribution picture.
- ``helpers.nbgrader_plugins``: the course's own nbgrader preprocessors.
- ``helpers.cli``: the ``course`` command.
"""

__version__ = "0.1.0"
