"""dockerfix: find and fix pip cache bloat in Dockerfiles, offset-exact."""

__version__ = "0.1.0"
