"""Errors a user can act on. The CLI prints their message and exits with code 2."""


class DriftrecError(Exception):
    """A problem with the user's input or environment, with a message that says what to do."""


class DataFormatError(DriftrecError):
    """A MovieLens file does not have the expected shape."""


class UnknownDatasetError(DriftrecError):
    """A dataset name that driftrec does not know."""
