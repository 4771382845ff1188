"""The sans-IO protocol core: request encoding and reply decoding, no sockets.

Nothing here does IO, and nothing here imports anyio or pydantic.
"""

from ..errors import (
    BadRequest as BadRequest,
)
from ..errors import (
    LocalProtocolError as LocalProtocolError,
)
from ..errors import (
    RemoteProtocolError as RemoteProtocolError,
)
from ..errors import (
    ReplyTooLarge as ReplyTooLarge,
)
from .decode import decode_reply as decode_reply
from .escaping import escape_addpool_field as escape_addpool_field
from .escaping import escape_json_reply as escape_json_reply
from .escaping import escape_text_reply as escape_text_reply
from .escaping import split_addpool as split_addpool
from .escaping import unescape_text as unescape_text
from .framing import DEFAULT_MAX_REPLY_SIZE as DEFAULT_MAX_REPLY_SIZE
from .framing import ReplyBuffer as ReplyBuffer
from .reply import Form as Form
from .reply import MultiReply as MultiReply
from .reply import Record as Record
from .reply import Reply as Reply
from .reply import Status as Status
from .request import MAX_REQUEST_SIZE as MAX_REQUEST_SIZE
from .request import Param as Param
from .request import Request as Request
from .request import decode_request as decode_request
from .request import encode_multi as encode_multi
from .request import encode_request as encode_request

__all__ = (
    "DEFAULT_MAX_REPLY_SIZE",
    "MAX_REQUEST_SIZE",
    "BadRequest",
    "Form",
    "LocalProtocolError",
    "MultiReply",
    "Param",
    "Record",
    "RemoteProtocolError",
    "Reply",
    "ReplyBuffer",
    "ReplyTooLarge",
    "Request",
    "Status",
    "decode_reply",
    "decode_request",
    "encode_multi",
    "encode_request",
    "escape_addpool_field",
    "escape_json_reply",
    "escape_text_reply",
    "split_addpool",
    "unescape_text",
)
