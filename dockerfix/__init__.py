"""dockerfix: find and fix pip cache bloat in Dockerfiles, offset-exact.

The pipeline, one folder a stage: parse -> tools -> analysis -> rules -> fix/report -> cli.
The pure core is ``dockerfix.core``: ``check(text)`` and ``fix(text)``.
"""

__version__ = "0.1.0"
