"""Outgoing mail: by SMTP when MAIL_SERVER is set, otherwise into an outbox folder of .eml files.

The outbox lets a developer (and the tests) read every message the site would have sent without
an SMTP server: `read_outbox()` returns them oldest first, and any mail client opens the files.
"""

from __future__ import annotations

import os
import secrets
import smtplib
import ssl
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.header import Header
from email.headerregistry import Address, UnstructuredHeader
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import format_datetime, getaddresses, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from flask import current_app

from app.common.timezone import utcnow

SMTP_TIMEOUT_SECONDS = 30
# The port of SMTP over TLS from the first byte (RFC 8314); every other port starts in plain text.
IMPLICIT_TLS_PORT = 465


@dataclass(frozen=True)
class OutgoingMail:
    to: str  # one address, optionally with a display name: "Chị Lan <lan@example.vn>"
    subject: str
    text: str  # plain-text body; every message has one, for clients that show no HTML
    html: str | None = None


class MailNotSent(Exception):
    """Delivery failed. The message is for logs and operators: it never holds a password or an
    address (a recipient's address is personal data, and the server's reply may repeat it)."""


def _without_addresses(exc: OSError) -> str:
    """What went wrong, for the log: the error's kind and the SMTP code, never the server's text,
    which names the recipient (SMTPRecipientsRefused) or echoes it back."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return type(exc).__name__
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__} (SMTP {exc.smtp_code})"
    return f"{type(exc).__name__}: {exc}"


def send_mail(mail: OutgoingMail) -> str:
    """Deliver one message now; returns the Message-ID.

    Raises ValueError when the recipient is not one well-formed address, and MailNotSent when
    the SMTP server or the outbox folder could not take the message.
    """
    config = current_app.config
    message = _build_message(mail, config["MAIL_SENDER"])
    if config.get("MAIL_SERVER"):
        _send_by_smtp(message, config)
    else:
        _write_to_outbox(message, Path(config["MAIL_OUTBOX_DIR"]))
    return message["Message-ID"]


def read_outbox(directory: str | Path | None = None) -> list[EmailMessage]:
    """The messages in the outbox, oldest first (by default the app's MAIL_OUTBOX_DIR)."""
    folder = Path(directory if directory is not None else current_app.config["MAIL_OUTBOX_DIR"])
    if not folder.is_dir():
        return []
    parser = BytesParser(policy=policy.default)
    messages = []
    # Unfinished writes are dot-files ending in .tmp, so the glob never sees half a message.
    for path in sorted(folder.glob("*.eml")):
        with path.open("rb") as file:
            messages.append(parser.parse(file))
    return messages


class _MailPolicy(EmailPolicy):
    """email.policy.default, with non-ASCII free-text headers (the subject) encoded by email.header.

    Python 3.11's folder may break a long non-ASCII subject at a space between two encoded words,
    and readers drop whitespace between encoded words (RFC 2047, section 6.2): "Xã Đoài bắt đầu"
    arrives as "Xã Đoàibắt đầu" (CPython gh-144156). Header.encode splits inside the encoded
    text instead, so every space survives and no encoded word is longer than RFC 2047 allows.
    """

    def fold(self, name: str, value: Any) -> str:
        if _is_non_ascii_text(value):
            return self._encode_words(name, value)
        return super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        if _is_non_ascii_text(value):
            return self._encode_words(name, value).encode("ascii")
        return super().fold_binary(name, value)

    def _encode_words(self, name: str, value: Any) -> str:
        header = Header(str(value), "utf-8", maxlinelen=self.max_line_length, header_name=name)
        return f"{name}: {header.encode(linesep=self.linesep)}{self.linesep}"


def _is_non_ascii_text(value: Any) -> bool:
    # Address headers fold through another path that keeps its spaces; only free text needs this.
    return isinstance(value, UnstructuredHeader) and not str(value).isascii()


_POLICY = _MailPolicy()


def _build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    to = _recipient(mail.to)
    message = EmailMessage(policy=_POLICY)
    # EmailMessage itself refuses line breaks in any header value, so a subject cannot smuggle
    # headers either; non-ASCII names and subjects are encoded as RFC 2047 words.
    message["From"] = sender
    message["To"] = to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(utcnow(), usegmt=True)
    message["Message-ID"] = make_msgid(domain=_domain_of(sender))
    # Quoted-printable keeps the Vietnamese text 7-bit clean, so a relay that does not offer
    # 8BITMIME still takes it; Python's default would send raw 8-bit bytes.
    message.set_content(mail.text, charset="utf-8", cte="quoted-printable")
    if mail.html is not None:
        message.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def _recipient(to: str) -> str | Address:
    """The To header for one address, or ValueError; checked before anything is built or sent."""
    # A line break would let a form field add a Bcc header, and a comma would quietly add recipients.
    if "\r" in to or "\n" in to:
        raise ValueError("mail recipient contains a line break")
    addresses = getaddresses([to])
    if len(addresses) != 1 or "@" not in addresses[0][1]:
        raise ValueError("mail recipient is not one address")
    name, address = addresses[0]
    if address.isascii():
        return to
    # Accounts accept internationalised addresses (email-validator allows them). Python would
    # write a non-ASCII address as an encoded word, which no server reads as an address, so the
    # domain goes out in its ASCII (IDNA) form; a non-ASCII local part needs SMTPUTF8 end to end,
    # which is not offered here.
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise ValueError("mail recipient has a non-ASCII local part, which needs SMTPUTF8")
    return Address(display_name=name, username=local, domain=domain.encode("idna").decode("ascii"))


def _domain_of(sender: str) -> str:
    # make_msgid() without a domain asks DNS for this host's name, which can be slow or leak an
    # internal host name; the sender's own domain is the right one for the Message-ID anyway.
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


def _send_by_smtp(message: EmailMessage, config: Mapping[str, Any]) -> None:
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    context = ssl.create_default_context()
    try:
        if port == IMPLICIT_TLS_PORT:
            client = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if port != IMPLICIT_TLS_PORT and config.get("MAIL_USE_TLS"):
                client.starttls(context=context)
            if config.get("MAIL_USERNAME"):
                client.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            refused = client.send_message(message)
        except BaseException:
            client.close()
            raise
    # SMTPException, ssl.SSLError, a refused connection and a timeout are all OSErrors.
    except OSError as exc:
        raise MailNotSent(f"SMTP delivery through {host}:{port} failed: {_without_addresses(exc)}") from exc
    try:
        client.quit()
    except OSError:
        # The server has taken the message: a failed goodbye must not make the caller send it twice.
        client.close()
    if refused:
        # One recipient only, so smtplib raises when it is refused; kept in case that changes.
        codes = sorted({code for code, _reply in refused.values()})
        raise MailNotSent(f"SMTP server {host}:{port} refused the recipient (SMTP {codes})")
    current_app.logger.info("Mail %s sent through %s:%s", message["Message-ID"], host, port)


_stamp_lock = threading.Lock()
_last_stamp = datetime.min.replace(tzinfo=UTC)


def _file_stamp() -> str:
    """A UTC time to the microsecond, later than the last one this process gave.

    The file names sort in the order the messages were written even when two are sent within
    one clock tick or the clock steps back; the random part of the name keeps processes apart.
    """
    global _last_stamp
    with _stamp_lock:
        now = max(utcnow(), _last_stamp + timedelta(microseconds=1))
        _last_stamp = now
    return now.strftime("%Y%m%dT%H%M%S.%fZ")


def _write_to_outbox(message: EmailMessage, folder: Path) -> None:
    path = folder / f"{_file_stamp()}-{secrets.token_hex(4)}.eml"
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Written beside the final name and renamed into place, so a reader sees the whole
        # message or nothing. mkstemp makes the file readable by its owner only, which suits
        # messages that may carry a password-reset link.
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as file:
            file.write(message.as_bytes())
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise MailNotSent(f"could not write the message to the outbox {folder}: {exc}") from exc
    current_app.logger.info("Mail %s written to %s", message["Message-ID"], path)
