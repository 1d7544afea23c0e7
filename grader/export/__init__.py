"""Bundles that run the kit on other graders' platforms.

    grade export gradescope --exercise ex3 --exercise ex5 --output autograder.zip

`gradescope.py` builds the zip on the instructor's machine; `autograder.py` is what runs
inside Gradescope's container; `collect.py` finds the student's files there.
"""
