"""addpool round trip, sans IO: the client's own encoder in, the client's own decoder out.

What `Miner.addpool(url, user, password)` puts on the wire (the command table's
`wire_values` and `encode_request`, which escape `\\` and `,`) goes into the fake; the
pool that `pools` then reports, decoded by `decode_reply`, must carry the same URL and
user, in both forms and for every personality.

Strings are filtered as the protocol forces:

* the client refuses a NUL and requests longer than the miner reads (LocalProtocolError);
* the miners refuse `url,user,` (an empty password is the end of the parameter: E/53);
* `<proxy type><proxy>|<url>` is a per-pool proxy, so such a URL comes back cut;
* sgminer prints the pool `Name` (the URL's host when no name is given) unescaped, so a
  host with `,|=\\"` or a control character breaks its own reply, as on the real miner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hypothesis import assume, example, given, reject, settings
from hypothesis import strategies as st

from cgapi.commands import COMMANDS
from cgapi.commands.results import convert
from cgapi.errors import LocalProtocolError
from cgapi.models import Pool as PoolModel
from cgapi.protocol import encode_request
from cgapi.testing.state import Pool
from tests.testing.test_api_commands import (
    FORMS,
    PERSONALITIES,
    W_CLIENT,
    ask,
    make_api,
    single,
)

if TYPE_CHECKING:
    from cgapi.testing._render.types import Personality
    from tests.testing.test_api_commands import Form

PROXY_TYPES = ("http:", "http0:", "socks4:", "socks5:", "socks4a:", "socks5h:")
SG_NAME_UNSAFE = frozenset(',|="\\')

# What a client can send: any text but NUL (C strings) and lone surrogates (not UTF-8).
field = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)
tricky = st.text(st.sampled_from('\\,|="{}[]:+ \t\n\x01é€😀'), max_size=12)
any_field = st.one_of(field, tricky)


def addpool_request(url: str, user: str, password: str, form: Form) -> bytes:
    """Exactly what `Miner.addpool()` sends (`CommandSpec.wire_values` + `encode_request`)."""
    values = COMMANDS["addpool"].wire_values((url, user, password))
    return encode_request("addpool", values, form)


def proxied(url: str) -> bool:
    return url.startswith(PROXY_TYPES) and "|" in url


def sg_name_breaks_reply(url: str) -> bool:
    host = Pool(url, "", "", 0).host
    return any(ch in SG_NAME_UNSAFE or ord(ch) < 0x20 for ch in host)


@settings(max_examples=400, deadline=None)
@given(
    personality=st.sampled_from(PERSONALITIES),
    form=st.sampled_from(FORMS),
    url=any_field,
    user=any_field,
    password=any_field.filter(bool),
)
@example(personality="cgminer", form="text", url="a\\,b|c=d", user="u,\\", password="p\\")
@example(personality="bfgminer", form="json", url='a"b\\', user="\\\\", password=",")
@example(personality="sgminer", form="text", url="stratum+tcp://h:1/p,q", user="", password="x")
def test_addpool_round_trip(
    personality: Personality, form: Form, url: str, user: str, password: str
) -> None:
    assume(not proxied(url))
    if personality == "sgminer":
        assume(not sg_name_breaks_reply(url))
    try:
        raw_request = addpool_request(url, user, password, form)
    except LocalProtocolError:
        reject()
    api = make_api(personality)
    added = single(api.handle(raw_request, W_CLIENT).reply)
    assert (added.status.severity, added.status.code) == ("S", 55)
    reply = single(ask(api, "pools", None, form))
    last = reply.records[-1]
    assert (last["URL"], last["User"]) == (url, user)
    assert api.state.pools[-1].password == password
    models = convert(COMMANDS["pools"], reply)
    assert isinstance(models, list)
    model = models[-1]
    assert isinstance(model, PoolModel)
    assert (model.url or "", model.user or "") == (url, user)


@settings(max_examples=100, deadline=None)
@given(form=st.sampled_from(FORMS), url=any_field, user=any_field)
def test_a_trailing_empty_password_is_refused(form: Form, url: str, user: str) -> None:
    """`url,user,`: nothing follows the last comma, so pooldetails() gives up (E/53)."""
    try:
        raw_request = addpool_request(url, user, "", form)
    except LocalProtocolError:
        reject()
    api = make_api("cgminer")
    reply = single(api.handle(raw_request, W_CLIENT).reply)
    assert (reply.status.code, len(api.state.pools)) == (53, 2)


def test_sgminer_name_is_not_escaped() -> None:
    """sgminer's pool Name is an unescaped STRING: a host with ',' breaks the text reply."""
    api = make_api("sgminer")
    ask(api, "addpool", "stratum+tcp://a\\,b:1,u,p")
    raw = ask(api, "pools")
    assert b"POOL=2,Name=a,b," in raw
    assert b"URL=stratum+tcp://a\\,b:1," in raw
