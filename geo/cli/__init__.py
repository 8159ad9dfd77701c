"""The ``panjwatch`` command line: ``main`` routes to the sub-commands."""
