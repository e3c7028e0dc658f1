"""PostgreSQL URLs: driver forms and redaction. Pure string handling, used by every layer that prints a URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SCHEME = re.compile(r"^postgres(?:ql)?(?:\+\w+)?://")
_URL_IN_TEXT = re.compile(r"postgres(?:ql)?(?:\+\w+)?://\S+")
_SECRET_PARAMS = {"password", "passfile", "sslpassword"}


def to_sqlalchemy_url(url: str) -> str:
    """postgresql://… -> postgresql+psycopg://… (SQLAlchemy's default driver would be psycopg2)."""
    return SCHEME.sub("postgresql+psycopg://", url)


def to_libpq_url(url: str) -> str:
    return SCHEME.sub("postgresql://", url)


def redact(url: str) -> str:
    """The URL with every secret replaced by ***: the password in the authority (also one holding an unescaped
    '@') and password-like query parameters. Safe for logs, errors and laddning."""
    m = SCHEME.match(url)
    if not m:
        return url
    rest = url[m.end() :]
    # The authority ends at the first '/', '?' or '#' after the LAST '@' (a password may contain '@' or '/').
    at = rest.rfind("@", 0, _authority_end(rest))
    if at >= 0:
        userinfo = rest[:at]
        user = userinfo.split(":", 1)[0]
        rest = (f"{user}:***" if ":" in userinfo else user) + rest[at:]
    parts = urlsplit("x://" + rest)
    if parts.query:
        query = [(k, "***" if k.lower() in _SECRET_PARAMS else v) for k, v in parse_qsl(parts.query, True)]
        rest = urlunsplit(("x", parts.netloc, parts.path, urlencode(query, safe="/:*"), parts.fragment))[4:]
    return m.group(0) + rest


def _authority_end(rest: str) -> int:
    """Where the authority of `rest` (the URL after its scheme) ends, allowing '@' and '/' in a password."""
    last_at = rest.rfind("@")
    search_from = last_at + 1 if last_at >= 0 else 0
    ends = [i for i in (rest.find(c, search_from) for c in "/?#") if i >= 0]
    return min(ends) if ends else len(rest)


def redact_in_text(text: str) -> str:
    """Every PostgreSQL URL inside a message, redacted."""
    return _URL_IN_TEXT.sub(lambda m: redact(m.group(0)), text)
