"""Reading input documents and writing JSON for the CLI commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from spasmcare.core.errors import BadInput


def read_text(name: str, what: str) -> str:
    """The text of file ``name`` (``-`` for standard input), or BadInput saying
    why it cannot be read."""
    try:
        return sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(f"{what} file not found: {name}") from None
    except IsADirectoryError:
        raise BadInput(f"{what} file {name} is a folder; give a text file") from None
    except UnicodeDecodeError:
        raise BadInput(f"{what} file {name} is not UTF-8 text") from None
    except OSError as err:
        raise BadInput(f"cannot read {what} file {name}: {err.strerror}") from None


def read_json(name: str, what: str) -> Any:
    """The JSON document in file ``name`` (``-`` for standard input)."""
    from spasmcare.core.documents import parse_json

    return parse_json(read_text(name, what), f"{what} file {name}")


def print_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
