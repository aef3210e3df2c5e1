"""Reference implementations of the graded functions, one module per assignment.

Used only by hidden tests (and the course's own tests). Never imported by released notebooks,
never shipped to students: the release and the student bundles are scanned for it.
"""
