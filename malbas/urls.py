"""PostgreSQL URLs: driver forms and redaction. Pure string handling, used by every layer that prints a URL."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

SCHEME = re.compile(r"^postgres(?:ql)?(?:\+\w+)?://")
_URL_IN_TEXT = re.compile(r"postgres(?:ql)?(?:\+\w+)?://\S+")
_SECRET_PARAMS = {"password", "passfile", "sslpassword"}
# Secrets of the URLs in use (see `remember_secrets`): scrubbed from every message, whatever form they take
# there (a driver may quote part of a password as a host name).
_KNOWN_SECRETS: set[str] = set()
_MIN_SECRET = 3  # shorter strings would scrub ordinary words; such passwords are not secrets anyway


def to_sqlalchemy_url(url: str) -> str:
    """postgresql://… -> postgresql+psycopg://… (SQLAlchemy's default driver would be psycopg2)."""
    return SCHEME.sub("postgresql+psycopg://", url)


def to_libpq_url(url: str) -> str:
    return SCHEME.sub("postgresql://", url)


def _split_userinfo(url: str) -> tuple[str, str | None, str] | None:
    """(scheme + user, password or None, the rest from the last '@' on), splitting the authority at its LAST
    '@' so that a password holding an unescaped '@' stays whole; None when the URL has no user part."""
    m = SCHEME.match(url)
    if not m:
        return None
    rest = url[m.end() :]
    at = rest.rfind("@", 0, _authority_end(rest))
    if at < 0:
        return None
    userinfo = rest[:at]
    user, sep, password = userinfo.partition(":")
    return m.group(0) + user, (password if sep else None), rest[at:]


def escape_userinfo(url: str) -> str:
    """The URL with its password percent-encoded, so that libpq reads an unescaped '@' or '/' in it as part of
    the password and not as the start of the host."""
    parts = _split_userinfo(url)
    if parts is None:
        return url
    head, password, tail = parts
    if password is None:
        return url
    return f"{head}:{quote(unquote(password), safe='')}{tail}"


def secrets_in(url: str) -> set[str]:
    """The password of a URL (in the authority or the query), raw and percent-decoded."""
    found: set[str] = set()
    parts = _split_userinfo(url)
    if parts is not None and parts[1]:
        found |= {parts[1], unquote(parts[1]), quote(unquote(parts[1]), safe="")}
    query = urlsplit("x://" + url[m.end() :]).query if (m := SCHEME.match(url)) else ""
    for key, value in parse_qsl(query, True):
        if key.lower() in ("password", "sslpassword") and value:
            found |= {value, quote(value, safe="")}
    return {s for s in found if len(s) >= _MIN_SECRET}


def remember_secrets(url: str) -> None:
    """Scrub this URL's password from every message `redact_in_text` cleans from now on."""
    _KNOWN_SECRETS.update(secrets_in(url))
    # Parts of a password split at '@' may surface on their own (as a "host name"): scrub those too.
    for secret in list(_KNOWN_SECRETS):
        _KNOWN_SECRETS.update(part for part in secret.split("@") if len(part) >= _MIN_SECRET)


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
    """Every PostgreSQL URL inside a message redacted, and every remembered secret replaced by ***."""
    text = _URL_IN_TEXT.sub(lambda m: redact(m.group(0)), text)
    for secret in sorted(_KNOWN_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
