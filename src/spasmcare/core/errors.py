"""The errors the core raises for input a person or another program got wrong."""


class BadInput(ValueError):
    """Input that cannot be used as given. The message is one sentence that says
    what was wrong and what is accepted; adapters show it as it is (exit 2, 4xx)."""
