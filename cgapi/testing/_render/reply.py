"""Assemble whole replies byte for byte the way ``api.c`` does.

The miners build a reply incrementally in ``io_data`` (cg ``io_add()``,
``io_put()``, ``io_close()``; identical logic in sg and bfg):

* ``message()`` writes the STATUS object; in JSON it is wrapped as
  ``{"STATUS":[`` ... ``]`` (cg ``JSON_START JSON_STATUS`` / ``JSON_CLOSE``).
* a report function then appends ``,"KEY":[`` (JSON) - or, for single-object
  sections only, the bare text label ``KEY,`` - and calls ``io_close()`` (JSON
  only), which just sets a flag.  List sections write no text label
  (NOTES 14: cg ``summary`` L2610 vs ``poolstatus`` L2504).
* each record is one ``print_data()`` call: JSON ``{"a":1,"b":2}``, text
  ``a=1,b=2|``, preceded by ``,`` when its ``precom`` argument is true.
* ``send_result()`` (cg L4230) appends ``]`` if the close flag is set, then
  ``,"id":1}`` in JSON, and sends ``strlen + 1`` bytes: the reply always ends
  with one NUL (bfg appends ``""`` of length 1, bfg L3579).

Consequences reproduced here:

* two ``message()`` calls simply concatenate: cg ``setconfig`` with a
  parameter equal (``strcasecmp``) to ``queue``/``scantime``/``expiry`` gives
  JSON ``{"STATUS":[{..127..}]{"STATUS":[{..83..}],"id":1}`` and text
  ``STATUS=E,...|STATUS=E,...|`` (cg ``setconfig()`` L3554, NOTES 12);
* an empty list section is ``"DEVS":[]`` in JSON and nothing in text;
* cg ``quit``/``restart`` use ``io_put()`` (reset) with ``JSON_ACTION``:
  ``{"STATUS":"BYE","id":1}`` / ``BYE`` (cg ``doquit()`` L3040-3058, ``JSON_ACTION``
  L300); sg/bfg use a normal ``message(MSG_BYE=257, "BYE")``;
* multi-command (``a+b``): ``head_join()`` (cg L4173) writes ``{`` before the
  first piece or ``,`` between pieces, then ``"<name>":[`` (JSON) or
  ``CMD=<name>|`` (text) with the name passed through ``escape_string()``;
  ``tail_join()`` (cg L4203) writes the pending ``]`` and, in JSON,
  ``,"id":1}]``; ``send_result()`` then adds the final ``,"id":1}``.  With no
  non-blank piece (``+``) only that trailer is sent: ``,"id":1}`` or an empty
  text reply (NOTES 31).  Known commands that appear again are skipped (a
  ``strstr`` on ``|name|``), unknown ones are answered every time.
* bfg ``coin`` writes ``,"COIN":[`` / ``,"COIN<id>":[`` (text ``COIN,`` /
  ``COIN<id>,``) and its ``]`` per mining goal (bfg ``minecoin()`` L3087).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .format import escape, format_item
from .messages import MSG_BYE, status_fields
from .sections import reply_section

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from .sections import CommaRule
    from .types import Field, Form, Personality

__all__ = (
    "JSON_END",
    "ReplyBody",
    "ReplyWriter",
    "command_body",
    "finish",
    "join_commands",
    "record_commas",
    "render_action",
    "render_body",
    "render_command",
    "render_multi",
    "render_quit",
    "render_record",
    "render_reply",
    "to_wire",
)

JSON_END = ',"id":1}'
"""``JSON_END`` (``JSON4 JSON5``); ``id`` is always 1 in current versions."""


def to_wire(text: str) -> bytes:
    """Encode a reply and append the terminating NUL.

    Text is encoded as UTF-8 with ``surrogateescape``, so request bytes decoded
    with ``errors="surrogateescape"`` go back out unchanged, as in C.
    """
    return text.encode("utf-8", "surrogateescape") + b"\x00"


def render_record(
    personality: Personality, form: Form, fields: Sequence[Field], precom: bool = False
) -> str:
    """One ``print_data(root, isjson, precom)`` call."""
    body = ",".join(format_item(field, personality, form) for field in fields)
    prefix = "," if precom else ""
    if form == "json":
        return f"{prefix}{{{body}}}"
    return f"{prefix}{body}|"


@dataclass(frozen=True)
class ReplyBody:
    """The ``io_data`` buffer of one command before ``send_result()``."""

    form: Form
    text: str
    close: bool = False
    """``io_close()`` was called: ``]`` is still owed."""


class ReplyWriter:
    """Imitates ``struct io_data`` plus ``message()``/``print_data()`` calls."""

    def __init__(self, personality: Personality, form: Form) -> None:
        self.personality: Personality = personality
        self.form: Form = form
        self._parts: list[str] = []
        self._close = False

    @property
    def json(self) -> bool:
        return self.form == "json"

    def add(self, text: str) -> None:
        """``io_add()``: append raw text."""
        self._parts.append(text)

    def put(self, text: str) -> None:
        """``io_put()``: discard everything so far, then append."""
        self._parts = [text]
        self._close = False

    def message(self, status: Sequence[Field]) -> None:
        """``message()``: the STATUS object (JSON: wrapped in ``{"STATUS":[...]``)."""
        if self.json:
            self.add('{"STATUS":[')
        self.add(render_record(self.personality, self.form, status))
        if self.json:
            self.add("]")

    def open_section(self, key: str, label: str | None = None) -> None:
        """``io_add(isjson ? ",\\"KEY\\":[" : "LABEL,")`` followed by ``io_close()``."""
        if self.json:
            self.add(f',"{key}":[')
            self._close = True
        elif label is not None:
            self.add(f"{label},")

    def record(self, fields: Sequence[Field], precom: bool = False) -> None:
        """``print_data()`` + ``io_add()`` of one record."""
        self.add(render_record(self.personality, self.form, fields, precom))

    def action(self, word: str) -> None:
        """cg ``doquit()``/``dorestart()``: ``io_put(JSON_ACTION JSON_BYE)`` or ``BYE``."""
        self.put(f'{{"STATUS":"{word}"' if self.json else word)

    def body(self) -> ReplyBody:
        return ReplyBody(self.form, "".join(self._parts), self._close)

    def finish(self) -> bytes:
        """``send_result()``: close, ``,"id":1}``, NUL."""
        return finish(self.body())


def finish(body: ReplyBody) -> bytes:
    """``send_result()`` of a single-command reply."""
    text = body.text + ("]" if body.close else "")
    if body.form == "json":
        text += JSON_END
    return to_wire(text)


def _default_commas(form: Form, count: int) -> list[bool]:
    return [form == "json" and n > 0 for n in range(count)]


def render_body(
    personality: Personality,
    form: Form,
    status: Sequence[Field],
    section: str | Sequence[str] | None = None,
    records: Sequence[Sequence[Field]] = (),
    single_object: bool = False,
    *,
    leading_commas: Sequence[bool] | None = None,
) -> ReplyBody:
    """Like :func:`render_reply` but stop before ``send_result()`` (for multi replies)."""
    writer = ReplyWriter(personality, form)
    writer.message(status)
    if section is None:
        if records:
            raise ValueError("records given without a section")
        return writer.body()
    if leading_commas is None:
        commas = _default_commas(form, len(records))
    elif len(leading_commas) != len(records):
        raise ValueError("leading_commas must have one flag per record")
    else:
        commas = list(leading_commas)
    if isinstance(section, str):
        writer.open_section(section, section if single_object else None)
        for record, precom in zip(records, commas, strict=True):
            writer.record(record, precom)
        return writer.body()
    # One single-object section per record (bfg coin: COIN, COIN1, ...).
    if len(section) != len(records):
        raise ValueError("one section key per record is needed")
    for key, record, precom in zip(section, records, commas, strict=True):
        writer.add(f',"{key}":[' if form == "json" else f"{key},")
        writer.record(record, precom)
        if form == "json":
            writer.add("]")
    return writer.body()


def render_reply(
    personality: Personality,
    form: Form,
    status: Sequence[Field],
    section: str | Sequence[str] | None = None,
    records: Sequence[Sequence[Field]] = (),
    single_object: bool = False,
    *,
    leading_commas: Sequence[bool] | None = None,
) -> bytes:
    """A complete single-command reply, NUL included.

    ``section`` is the JSON key (and, with ``single_object``, the bare text
    label such as ``SUMMARY,``); ``None`` means a STATUS-only reply.  A sequence
    of keys puts each record in its own single-object section (bfg ``coin``).
    ``leading_commas`` overrides the ``precom`` flag of each record (default:
    a comma before every JSON record but the first, none in text) - see
    :func:`record_commas` for the per-command rules.
    """
    return finish(
        render_body(
            personality,
            form,
            status,
            section,
            records,
            single_object,
            leading_commas=leading_commas,
        )
    )


def _record_index(record: Sequence[Field]) -> int:
    if not record or not isinstance(record[0].value, int):
        raise ValueError("an index comma rule needs an int first field (POOL=, STATS=, ...)")
    return record[0].value


def record_commas(rule: CommaRule, form: Form, records: Sequence[Sequence[Field]]) -> list[bool]:
    """The C ``precom`` argument of each record under ``rule`` (see ``sections``)."""
    is_json = form == "json"
    commas: list[bool] = []
    for n, record in enumerate(records):
        if rule == "position":
            commas.append(is_json and n > 0)
        elif rule == "index":
            commas.append(is_json and _record_index(record) > 0)
        elif rule == "ungated":
            commas.append(n > 0)
        elif rule == "never":
            commas.append(False)
        else:  # bmminer_stats: version object, then STATS=i with isjson && i > 0
            commas.append(n > 0 and is_json and _record_index(record) > 0)
    return commas


def command_body(
    personality: Personality,
    form: Form,
    command: str,
    status: Sequence[Field],
    records: Sequence[Sequence[Field]] = (),
    *,
    keys: Sequence[str] | None = None,
) -> ReplyBody:
    """Body of a successful ``command`` reply using the rules of ``reply_section()``.

    The section is always opened when the command has one, so an empty
    ``records`` gives ``"DEVS":[]`` (cg ``edevs`` with only zombies) or bfg
    ``devscan``'s dangling ``DEVS,``.  Error replies are STATUS-only: use
    :func:`render_reply` without a section.  For bfg ``coin`` pass ``keys``
    (``COIN`` for the default goal, ``COIN<id>`` otherwise).  For bmminer
    ``stats`` the first record is the version object.
    """
    spec = reply_section(personality, command)
    if spec is None:
        if records:
            raise ValueError(f"{personality} {command!r} has no data section")
        return render_body(personality, form, status)
    commas = record_commas(spec.commas, form, records)
    if spec.multi_key:
        section_keys = list(keys) if keys is not None else [spec.key] * len(records)
        return render_body(
            personality, form, status, section_keys, records, True, leading_commas=commas
        )
    return render_body(
        personality,
        form,
        status,
        spec.key,
        records,
        spec.label is not None,
        leading_commas=commas,
    )


def render_command(
    personality: Personality,
    form: Form,
    command: str,
    status: Sequence[Field],
    records: Sequence[Sequence[Field]] = (),
    *,
    keys: Sequence[str] | None = None,
) -> bytes:
    """Complete reply of a successful ``command`` (see :func:`command_body`)."""
    return finish(command_body(personality, form, command, status, records, keys=keys))


def render_action(form: Form, word: str = "BYE") -> bytes:
    """cg/bmminer ``quit``/``restart``: ``BYE`` or ``{"STATUS":"BYE","id":1}`` + NUL."""
    writer = ReplyWriter("cgminer", form)
    writer.action(word)
    return writer.finish()


def render_quit(
    personality: Personality,
    form: Form,
    *,
    restart: bool = False,
    when: int,
    description: str | None,
) -> bytes:
    """``quit`` (or ``restart``) reply of ``personality``."""
    word = "RESTART" if restart else "BYE"
    if personality in ("cgminer", "bmminer"):
        return render_action(form, word)
    status = status_fields(
        personality, MSG_BYE, word, when=when, description=description, form=form
    )
    return render_reply(personality, form, status)


def join_commands(command: str, known: Collection[str]) -> list[str]:
    """The pieces of a ``+`` request that get a sub-reply, in order.

    Blank pieces are skipped; a recognised command that already appeared is
    skipped silently; unknown names are kept every time (cg ``api()``
    ~L5119-5170).
    """
    seen: set[str] = set()
    pieces: list[str] = []
    for piece in command.split("+"):
        if not piece:
            continue
        if piece in known:
            if piece in seen:
                continue
            seen.add(piece)
        pieces.append(piece)
    return pieces


def render_multi(form: Form, members: Sequence[tuple[str, ReplyBody]]) -> bytes:
    """A multi-command reply from ``(piece name, sub-reply body)`` pairs, NUL included."""
    parts: list[str] = []
    for n, (name, body) in enumerate(members):
        if body.form != form:
            raise ValueError("every member must be rendered in the reply's form")
        escaped = escape(name, form)
        if form == "json":
            parts.append("{" if n == 0 else ",")
            parts.append(f'"{escaped}":[')
        else:
            parts.append(f"CMD={escaped}|")
        parts.append(body.text)
        if body.close:
            parts.append("]")
        if form == "json":
            parts.append(JSON_END + "]")
    if form == "json":
        parts.append(JSON_END)
    return to_wire("".join(parts))
