"""Pure, IO-free rendering of cgminer-family RPC replies (private).

This subpackage turns values into the exact bytes cgminer 4.11.1, sgminer 5.x,
bfgminer 5.x (and bmminer) send on TCP port 4028, quirks included.  It knows
nothing about sockets or miner state; ``cgapi.testing.FakeMiner`` builds on it.

Layers:

* :mod:`.types` - ``ApiType`` and the ``Field(name, type, value)`` triple;
* :mod:`.format` - ``print_data()`` number/string formats per miner;
* :mod:`.messages` - ``codes[]`` tables and ``message()`` (STATUS objects);
* :mod:`.sections` - field tables of each report and their JSON keys;
* :mod:`.reply` - whole replies (``io_data`` / ``send_result()``), multi
  commands, quit.

It uses the standard library only.
"""

from .format import c_fixed, escape, format_item, format_value, supported_types
from .messages import (
    BFG_USE_ALTMSG,
    MSG_BYE,
    MSG_INVCMD,
    MessageSpec,
    default_features,
    lookup_message,
    message_table,
    status_fields,
)
from .reply import (
    JSON_END,
    ReplyBody,
    ReplyWriter,
    command_body,
    finish,
    join_commands,
    record_commas,
    render_action,
    render_body,
    render_command,
    render_multi,
    render_quit,
    render_record,
    render_reply,
    to_wire,
)
from .sections import (
    CommaRule,
    FieldSpec,
    ReplySection,
    field_names,
    reply_section,
    section_fields,
    section_names,
)
from .types import FORMS, PERSONALITIES, ApiType, Field, Form, Personality

__all__ = (
    "BFG_USE_ALTMSG",
    "FORMS",
    "JSON_END",
    "MSG_BYE",
    "MSG_INVCMD",
    "PERSONALITIES",
    "ApiType",
    "CommaRule",
    "Field",
    "FieldSpec",
    "Form",
    "MessageSpec",
    "Personality",
    "ReplyBody",
    "ReplySection",
    "ReplyWriter",
    "c_fixed",
    "command_body",
    "default_features",
    "escape",
    "field_names",
    "finish",
    "format_item",
    "format_value",
    "join_commands",
    "lookup_message",
    "message_table",
    "record_commas",
    "render_action",
    "render_body",
    "render_command",
    "render_multi",
    "render_quit",
    "render_record",
    "render_reply",
    "reply_section",
    "section_fields",
    "section_names",
    "status_fields",
    "supported_types",
    "to_wire",
)
