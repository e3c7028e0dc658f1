"""PostgreSQL URLs: driver forms and redaction of passwords in any URL or DSN. Pure string handling, used by every layer that prints a URL."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

SCHEME = re.compile(r"^postgres(?:ql)?(?:\+\w+)?://")
# Any URL: a scheme (also a mistyped or a foreign one, or a JDBC "jdbc:postgresql:") and "://".
_ANY_URL = re.compile(r"(?:[A-Za-z][\w+.-]*:)*[A-Za-z][\w+.-]*://(?P<rest>[^\s'\"<>]+)")
# A password-like key with its value: a URL query parameter or a key/value DSN entry, quoted or not.
_KEY_VALUE_SECRET = re.compile(
    r"(?i)(?<![\w-])(?P<key>(?:ssl)?(?:password|passwd|pwd)|passfile)\s*=\s*(?P<value>'(?:[^'\\]|\\.)*'|[^\s&;'\"]*)"
)
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


def secrets_in(text: str) -> set[str]:
    """The passwords `text` holds in any URL or DSN form (see `redact`), raw and percent-decoded."""
    found: set[str] = set()
    for begin, end in _secret_spans(text, paths=False):
        value = text[begin:end].strip("'")
        found |= {value, unquote(value), quote(unquote(value), safe="")}
    return {s for s in found if len(s) >= _MIN_SECRET}


def remember_secrets(url: str) -> None:
    """Scrub this URL's password from every message `redact_in_text` cleans from now on."""
    _KNOWN_SECRETS.update(secrets_in(url))
    # Parts of a password split at '@' may surface on their own (as a "host name"): scrub those too.
    for secret in list(_KNOWN_SECRETS):
        _KNOWN_SECRETS.update(part for part in secret.split("@") if len(part) >= _MIN_SECRET)


def _secret_spans(text: str, *, paths: bool = True) -> list[tuple[int, int]]:
    """Where `text` holds a password: the userinfo password of any URL (any scheme, a mistyped one or
    jdbc:postgresql:// included, anywhere in the text), and the value of every password-like key, as a URL
    query parameter (`?password=`, `&password=`, `;password=`) or in a key/value DSN (`password=x`,
    `password = 'a b'`); with `paths`, the password file's path too (hidden in URLs shown, but no secret)."""
    spans = []
    for m in _ANY_URL.finditer(text):
        rest = m.group("rest")
        at = rest.rfind("@", 0, _authority_end(rest))
        colon = rest.find(":", 0, at) if at >= 0 else -1
        if colon >= 0 and at > colon + 1:
            spans.append((m.start("rest") + colon + 1, m.start("rest") + at))
    for m in _KEY_VALUE_SECRET.finditer(text):
        if m.group("value") and (paths or m.group("key").lower() != "passfile"):
            spans.append(m.span("value"))
    return spans


def redact(text: str) -> str:
    """`text` (a URL, a DSN or a message holding them) with every password replaced by ***: the one function
    through which malbas shows a URL or DSN. Safe for logs, errors and laddning."""
    spans = sorted(_secret_spans(text))
    out, last = [], 0
    for begin, end in spans:
        if begin < last:  # inside a span already redacted
            continue
        out += [text[last:begin], "***"]
        last = end
    return "".join(out) + text[last:]


def _authority_end(rest: str) -> int:
    """Where the authority of `rest` (the URL after its scheme) ends, allowing '@' and '/' in a password."""
    last_at = rest.rfind("@")
    search_from = last_at + 1 if last_at >= 0 else 0
    ends = [i for i in (rest.find(c, search_from) for c in "/?#") if i >= 0]
    return min(ends) if ends else len(rest)


def redact_in_text(text: str) -> str:
    """Every password in a message redacted (see `redact`), and every remembered secret replaced by ***."""
    text = redact(text)
    for secret in sorted(_KNOWN_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
