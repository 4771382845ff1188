"""From a decoded `Reply` to what a typed method returns: a model, a list, a count, a Status."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from .. import models
from ..errors import MinerError, RemoteProtocolError
from .table import COMMANDS, CommandSpec

if TYPE_CHECKING:
    from ..protocol.reply import MultiReply, Reply, Status

__all__ = ("MultiResult", "convert", "model_for", "raise_for_status", "validate")

M = TypeVar("M", bound=BaseModel)


def raise_for_status(reply: Reply, command: str, address: str | None) -> None:
    """Raise the registered `MinerError` subclass if the reply's STATUS is E or F."""
    for status in reply.statuses or (reply.status,):
        if status.is_error:
            raise MinerError.from_status(status, command=command, address=address)


def model_for(spec: CommandSpec) -> type[BaseModel]:
    """The model class of a report command."""
    assert spec.model is not None, f"{spec.name} has no reply model"
    model: type[BaseModel] = getattr(models, spec.model)
    return model


def validate(model: type[M], record: Mapping[str, Any], reply: Reply, command: str) -> M:
    """Validate one record; a mismatch becomes a RemoteProtocolError, never a pydantic one."""
    try:
        return model.model_validate(record)
    except ValidationError as exc:
        raise RemoteProtocolError(
            f"{command}: reply record does not fit {model.__name__}: {exc}", raw=reply.raw
        ) from None


def convert(spec: CommandSpec, reply: Reply) -> object:
    """Turn an already status-checked reply into the typed result of `spec`."""
    if spec.result in ("status", "shutdown"):
        return reply.status
    model = model_for(spec)
    records = reply.records
    if spec.result == "list":
        return [validate(model, record, reply, spec.name) for record in records]
    if not records:
        raise RemoteProtocolError(
            f"{spec.name}: reply has no {spec.section} section", raw=reply.raw
        )
    item = validate(model, records[0], reply, spec.name)
    if spec.result == "count":
        count = getattr(item, "count", None)
        if not isinstance(count, int):
            raise RemoteProtocolError(f"{spec.name}: reply has no Count", raw=reply.raw)
        return count
    return item


class MultiResult(Mapping[str, object]):
    """Typed results of a multi-command, by command name.

    `result["summary"]` is a `Summary`, `result["devs"]` a `list[Device]`... A member the
    miner answered with an error raises that `MinerError` when accessed, and is listed in
    `errors`. `replies` keeps the decoded per-command replies.
    """

    def __init__(self, replies: MultiReply, address: str | None, *, joined: bool) -> None:
        self.replies = replies
        self.joined = joined
        """False when the miner refused the join and the commands were sent one by one."""
        self._results: dict[str, object] = {}
        self.errors: dict[str, MinerError] = {}
        for name, reply in replies.items():
            try:
                raise_for_status(reply, name, address)
                spec = COMMANDS.get(name)
                self._results[name] = convert(spec, reply) if spec else reply
            except MinerError as exc:
                self.errors[name] = exc

    @property
    def missing(self) -> tuple[str, ...]:
        """Requested commands the miner left out."""
        return self.replies.missing

    def status(self, command: str) -> Status:
        """The STATUS the miner gave one member."""
        return self.replies[command].status

    def __getitem__(self, command: str) -> object:
        if command in self.errors:
            raise self.errors[command]
        return self._results[command]

    def __contains__(self, command: object) -> bool:
        return command in self.replies

    def __iter__(self) -> Iterator[str]:
        return iter(self.replies)

    def __len__(self) -> int:
        return len(self.replies)

    def __repr__(self) -> str:
        members = ", ".join(
            f"{name}={'error' if name in self.errors else 'ok'}" for name in self.replies
        )
        return f"MultiResult({members})"
