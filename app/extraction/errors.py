"""The two ways a document can fail. Both carry a one-line reason for people."""


class ExtractionError(Exception):
    """Base class: the document was not loaded, for `reason`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnreadableDocument(ExtractionError):
    """The file could not be read as a document: empty, HTML, corrupt, encrypted, no text."""


class NotAnOfstedReport(ExtractionError):
    """The text was read, but it is not an Ofsted children's services report we understand,
    or a fact every record needs (its authority, its inspection dates) could not be found."""
