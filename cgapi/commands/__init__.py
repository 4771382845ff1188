"""The command table and the typed method of every command."""

from ._generated import CommandMethods as CommandMethods
from .params import Parameter as Parameter
from .results import MultiResult as MultiResult
from .table import COMMANDS as COMMANDS
from .table import JOINABLE as JOINABLE
from .table import CommandSpec as CommandSpec
from .table import get_spec as get_spec

__all__ = (
    "COMMANDS",
    "JOINABLE",
    "CommandMethods",
    "CommandSpec",
    "MultiResult",
    "Parameter",
    "get_spec",
)
