"""OAI-PMH's request rules, without the database: the verbs and their arguments, datestamps,
and resumption tokens (http://www.openarchives.org/OAI/openarchivesprotocol.html)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

# verb -> (required arguments, optional arguments); a resumptionToken is exclusive.
VERBS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
DAY = "YYYY-MM-DD"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"
GRANULARITY = SECONDS
END_OF_TIME = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")


class OAIError(Exception):
    """An OAI-PMH error condition: answered with HTTP 200 and an <error code=…> element."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Harvest:
    """What a list request asks for, and where in the list it is."""

    metadata_prefix: str
    start: datetime | None = None  # inclusive
    end: datetime | None = None  # exclusive: `until` plus its granularity
    set_spec: str | None = None
    after: tuple[str, int] | None = None  # the last (datestamp, id) already sent
    sent: int = 0  # records sent before this page (the token's `cursor`)

    def token(self, last: tuple[str, int], sent: int) -> str:
        state = {
            "p": self.metadata_prefix, "f": _iso(self.start), "u": _iso(self.end),
            "s": self.set_spec, "a": list(last), "n": sent,
        }  # fmt: skip
        raw = json.dumps(state, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def arguments(query: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, checked against the protocol: badVerb, badArgument."""
    verbs = query.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        given = "no verb" if not verbs else f"verb {', '.join(verbs)!r}"
        raise OAIError("badVerb", f"Illegal OAI verb ({given}); the verbs are {', '.join(VERBS)}.")
    verb = verbs[0]
    required, optional = VERBS[verb]
    args = {}
    for name, values in query.items():
        if name == "verb":
            continue
        if name not in required | optional:
            raise OAIError("badArgument", f"{verb} takes no argument {name!r}.")
        if len(values) != 1:
            raise OAIError("badArgument", f"{name} is given {len(values)} times; once at most.")
        args[name] = values[0]
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        return verb, args
    missing = required - args.keys()
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(sorted(missing))}.")
    return verb, args


def harvest(args: dict[str, str]) -> Harvest:
    """The list a ListIdentifiers or ListRecords request asks for (badArgument,
    badResumptionToken)."""
    if "resumptionToken" in args:
        return _resumed(args["resumptionToken"])
    start, end = args.get("from"), args.get("until")
    parsed_start = datestamp(start, "from") if start else None
    parsed_end = datestamp(until=True, value=end, name="until") if end else None
    if start and end and len(start) != len(end):
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if parsed_start and parsed_end and parsed_end <= parsed_start:
        raise OAIError("badArgument", "until is before from.")
    set_spec = args.get("set")
    if set_spec is not None and not SET_SPEC.fullmatch(set_spec):
        raise OAIError("badArgument", f"{set_spec!r} is not a setSpec.")
    return Harvest(args["metadataPrefix"], parsed_start, parsed_end, set_spec)


def datestamp(value: str, name: str, *, until: bool = False) -> datetime:
    """A UTC datestamp of either granularity; `until` gives the end of the day or second,
    exclusive."""
    try:
        if len(value) == len(DAY):
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time(), UTC)
            step = timedelta(days=1)
        elif len(value) == len(SECONDS) and value.endswith("Z") and "T" in value:
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            step = timedelta(seconds=1)
        else:
            raise ValueError(value)
    except ValueError:
        raise OAIError("badArgument", f"{name} must be {DAY} or {SECONDS}.") from None
    if until and moment > END_OF_TIME - step:
        return END_OF_TIME  # the last day there is: every record is before it
    return moment + step if until else moment


def stamp(moment: datetime) -> str:
    """A datestamp in the repository's granularity (seconds, UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


BIGGEST_ID = 2**63 - 1  # a database id, on either database


def _resumed(token: str) -> Harvest:
    """A token this repository gave, every part checked as it gave it: anything else is
    badResumptionToken, never an error further on (a date that is none, a set that is not a
    string, a NUL the database refuses, a negative count echoed as `cursor`)."""
    try:
        state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        after = state["a"]
        set_spec = state["s"]
        if set_spec is not None and not (
            isinstance(set_spec, str) and SET_SPEC.fullmatch(set_spec)
        ):
            raise ValueError(set_spec)
        last_id, sent = after[1], state["n"]
        if not all(type(n) is int and 0 <= n <= BIGGEST_ID for n in (last_id, sent)):
            raise ValueError(after)
        if len(after) != 2 or not isinstance(state["p"], str):
            raise ValueError(after)
        return Harvest(
            metadata_prefix=state["p"],
            start=_moment(state["f"]) if state["f"] is not None else None,
            end=_moment(state["u"]) if state["u"] is not None else None,
            set_spec=set_spec,
            after=(_moment(after[0]).isoformat(), last_id),
            sent=sent,
        )
    except (ValueError, KeyError, TypeError, IndexError, binascii.Error, UnicodeDecodeError):
        raise OAIError(
            "badResumptionToken", "The resumption token is not one this repository gave."
        ) from None


def _moment(value: object) -> datetime:
    """A token's moment: an ISO datetime with its zone, as the repository writes one."""
    if not isinstance(value, str):
        raise TypeError(value)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(value)
    return moment
