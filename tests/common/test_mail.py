"""Outgoing mail: the outbox a developer reads, and delivery to a real (if tiny) SMTP server."""

from __future__ import annotations

import socket
import socketserver
import threading
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from app.common import mail as mail_module
from app.common.mail import MailNotSent, OutgoingMail, read_outbox, send_mail

SUBJECT = "Nhắc lịch: Phiên chợ cam Xã Đoài bắt đầu lúc 19:00"
BODY = "Chào chị Lan,\n\nPhiên chợ cam Xã Đoài bắt đầu lúc 19:00 tối nay. Hẹn gặp chị trên Facebook!\n"


def _outbox_files(app) -> list[Path]:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


# --- A minimal SMTP server: just enough of RFC 5321 for smtplib, no STARTTLS, no AUTH.


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self.reply("220 test.local ESMTP ready")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 test.local")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if address in self.server.refused_recipients:
                    self.reply("550 No such user here")
                else:
                    recipients.append(address)
                    self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data_line := self.rfile.readline()) not in (b".\r\n", b""):
                    # Undo the client's dot-stuffing (RFC 5321 4.5.2).
                    lines.append(data_line[1:] if data_line.startswith(b".") else data_line)
                self.server.received.append({"from": sender, "to": recipients, "data": b"".join(lines)})
                self.reply("250 OK: queued")
            elif verb in {"RSET", "NOOP"}:
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.received: list[dict] = []
        self.refused_recipients: set[str] = set()


@pytest.fixture
def smtp_server():
    server = _SMTPServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def smtp_app(app, smtp_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.server_address[1], MAIL_USE_TLS=False)
    return app


# --- Outbox mode (no MAIL_SERVER): what developers and the other tests read.


def test_outbox_keeps_vietnamese_subject_body_and_addresses(app):
    with app.app_context():
        message_id = send_mail(OutgoingMail(to="lan@example.vn", subject=SUBJECT, text=BODY))
        [message] = read_outbox()

    assert message["Subject"] == SUBJECT
    assert message["To"] == "lan@example.vn"
    assert message["From"] == "Chợ Phiên <no-reply@chophien.local>"
    assert message["Message-ID"] == message_id
    assert message_id.endswith("@chophien.local>")
    assert message["Date"]
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == BODY
    [path] = _outbox_files(app)
    assert path.suffix == ".eml"
    # On disk the headers are 7-bit: the subject is encoded, never raw UTF-8.
    assert path.read_bytes().isascii()


@pytest.mark.parametrize(
    "subject",
    [
        "Đơn hàng",
        SUBJECT,
        f"{SUBJECT} — {SUBJECT} — {SUBJECT}",
        "Reminder: the orange market of Xa Doai starts at 19:00 tonight, see you on the livestream",
    ],
)
def test_subjects_of_any_length_keep_every_space(app, subject):
    # Python 3.11's own folding drops the space where a long subject is split (CPython gh-144156).
    with app.app_context():
        send_mail(OutgoingMail(to="lan@example.vn", subject=subject, text=BODY))
        [message] = read_outbox()

    assert message["Subject"] == subject
    [path] = _outbox_files(app)
    assert all(len(line) <= 78 for line in path.read_bytes().split(b"\n"))


def test_outbox_files_follow_the_order_of_sending(app):
    with app.app_context():
        send_mail(OutgoingMail(to="lan@example.vn", subject="Thứ nhất", text="một"))
        send_mail(OutgoingMail(to="lan@example.vn", subject="Thứ hai", text="hai"))
        subjects = [message["Subject"] for message in read_outbox()]

    assert subjects == ["Thứ nhất", "Thứ hai"]
    files = _outbox_files(app)
    assert len(files) == 2
    assert all(path.suffix == ".eml" for path in files)


def test_html_is_an_alternative_to_the_text(app):
    html = "<p>Phiên chợ cam <strong>Xã Đoài</strong> bắt đầu lúc 19:00</p>"
    with app.app_context():
        send_mail(OutgoingMail(to="Chị Lan <lan@example.vn>", subject=SUBJECT, text=BODY, html=html))
        [message] = read_outbox()

    assert message.get_content_type() == "multipart/alternative"
    assert message["To"].addresses[0].display_name == "Chị Lan"
    assert message.get_body(preferencelist=("plain",)).get_content() == BODY
    assert message.get_body(preferencelist=("html",)).get_content().strip() == html


def test_internationalised_domain_goes_out_in_ascii(app):
    with app.app_context():
        send_mail(OutgoingMail(to="Chị Lan <lan@chợ-huế.vn>", subject=SUBJECT, text=BODY))
        [message] = read_outbox()

    [address] = message["To"].addresses
    assert address.display_name == "Chị Lan"
    assert address.addr_spec == "lan@" + "chợ-huế.vn".encode("idna").decode("ascii")
    assert address.domain.startswith("xn--")


def test_read_outbox_of_a_missing_folder_is_empty(tmp_path):
    assert read_outbox(tmp_path / "nowhere") == []


def test_outbox_that_cannot_be_written_is_mail_not_sent(app, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    app.config["MAIL_OUTBOX_DIR"] = str(not_a_folder / "outbox")
    with app.app_context(), pytest.raises(MailNotSent):
        send_mail(OutgoingMail(to="lan@example.vn", subject=SUBJECT, text=BODY))


@pytest.mark.parametrize(
    "to",
    [
        "lan@example.vn\r\nBcc: x@y",
        "lan@example.vn\nBcc: x@y",
        "lan@example.vn, khach@example.vn",
        "khong-phai-dia-chi",
        "",
        "lân@example.vn",
    ],
)
def test_recipient_that_is_not_one_address_is_refused_before_anything_is_written(app, to):
    with app.app_context(), pytest.raises(ValueError) as refused:
        send_mail(OutgoingMail(to=to, subject=SUBJECT, text=BODY))
    assert _outbox_files(app) == []
    assert "@" not in str(refused.value)  # the error reaches the log, the address must not


def test_subject_with_a_line_break_is_refused(app):
    with app.app_context(), pytest.raises(ValueError):
        send_mail(OutgoingMail(to="lan@example.vn", subject="Chào\r\nBcc: x@y", text=BODY))
    assert _outbox_files(app) == []


# --- SMTP mode.


def test_smtp_delivers_the_message_and_leaves_the_outbox_alone(smtp_app, smtp_server):
    with smtp_app.app_context():
        message_id = send_mail(OutgoingMail(to="lan@example.vn", subject=SUBJECT, text=BODY))

    [envelope] = smtp_server.received
    assert envelope["to"] == ["lan@example.vn"]
    assert "no-reply@chophien.local" in envelope["from"]
    message = BytesParser(policy=policy.default).parsebytes(envelope["data"])
    assert message["Subject"] == SUBJECT
    assert message["To"] == "lan@example.vn"
    assert message["Message-ID"] == message_id
    # On the wire every line ends in CRLF, the body's lines too.
    assert message.get_content() == BODY.replace("\n", "\r\n")
    # Quoted-printable: a relay without 8BITMIME must take it too.
    assert envelope["data"].isascii()
    assert _outbox_files(smtp_app) == []


def test_smtp_refused_recipient_is_mail_not_sent(smtp_app, smtp_server):
    smtp_server.refused_recipients.add("lan@example.vn")
    with smtp_app.app_context(), pytest.raises(MailNotSent) as not_sent:
        send_mail(OutgoingMail(to="lan@example.vn", subject=SUBJECT, text=BODY))
    assert smtp_server.received == []
    assert "lan@example.vn" not in str(not_sent.value)  # the operator's log never holds the address


def test_smtp_server_that_refuses_connections_is_mail_not_sent(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)

    with app.app_context(), pytest.raises(MailNotSent, match=f"127.0.0.1:{port}"):
        send_mail(OutgoingMail(to="lan@example.vn", subject=SUBJECT, text=BODY))
    # No quiet fallback to the outbox: the caller must learn the mail did not go.
    assert _outbox_files(app) == []


def test_starttls_without_server_support_is_mail_not_sent(smtp_app):
    smtp_app.config["MAIL_USE_TLS"] = True
    with smtp_app.app_context(), pytest.raises(MailNotSent, match="STARTTLS"):
        send_mail(OutgoingMail(to="lan@example.vn", subject=SUBJECT, text=BODY))


class _RecordingSMTP:
    """Stands in for smtplib's clients to see which steps are taken; TLS needs a real certificate."""

    calls: list[tuple] = []

    def __init__(self, host, port, timeout=None, context=None):
        self.calls.append((type(self).__name__, host, port, timeout, context is not None))

    def starttls(self, context=None):
        self.calls.append(("starttls", context is not None))

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        self.calls.append(("send_message", message["To"]))
        return {}

    def quit(self):
        self.calls.append(("quit",))

    def close(self):
        self.calls.append(("close",))


class _RecordingSMTPSSL(_RecordingSMTP):
    pass


@pytest.fixture
def recording_smtp(monkeypatch):
    _RecordingSMTP.calls = []
    monkeypatch.setattr(mail_module.smtplib, "SMTP", _RecordingSMTP)
    monkeypatch.setattr(mail_module.smtplib, "SMTP_SSL", _RecordingSMTPSSL)
    return _RecordingSMTP.calls


def test_port_587_uses_starttls_then_logs_in(app, recording_smtp):
    app.config.update(MAIL_SERVER="smtp.example.vn", MAIL_PORT=587, MAIL_USERNAME="cho", MAIL_PASSWORD="bi-mat")
    with app.app_context():
        send_mail(OutgoingMail(to="lan@example.vn", subject=SUBJECT, text=BODY))

    assert recording_smtp == [
        ("_RecordingSMTP", "smtp.example.vn", 587, 30, False),
        ("starttls", True),
        ("login", "cho", "bi-mat"),
        ("send_message", "lan@example.vn"),
        ("quit",),
    ]


def test_port_465_uses_tls_from_the_start_and_no_login_without_a_user(app, recording_smtp):
    app.config.update(MAIL_SERVER="smtp.example.vn", MAIL_PORT=465, MAIL_USERNAME="")
    with app.app_context():
        send_mail(OutgoingMail(to="lan@example.vn", subject=SUBJECT, text=BODY))

    assert recording_smtp == [
        ("_RecordingSMTPSSL", "smtp.example.vn", 465, 30, True),
        ("send_message", "lan@example.vn"),
        ("quit",),
    ]
