"""The errors the core raises for input a person or another program got wrong."""


class BadInput(ValueError):
    """Input that cannot be used as given. The message is one sentence that says
    what was wrong and what is accepted; adapters show it as it is (exit 2, 4xx)."""


class NotFound(BadInput):
    """Input that names something that is not there (a record, say): 404."""


class Conflict(BadInput):
    """A request the diary's present state does not allow, such as undoing a
    change that a later one built on: 409."""
