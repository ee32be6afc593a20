"""Error pages in the visitor's language; JSON for API clients."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from app.common.access import Audience, AudienceRefused
from app.extensions import db


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Yêu cầu không hợp lệ"), _("Yêu cầu gửi lên không đúng. Vui lòng thử lại.")),
        403: (_("Không có quyền"), _("Bạn không có quyền làm việc này.")),
        404: (_("Không tìm thấy trang"), _("Trang bạn tìm không có hoặc đã bị gỡ.")),
        405: (_("Không hỗ trợ"), _("Trang này không nhận yêu cầu theo cách đó.")),
        413: (_("Tệp quá lớn"), _too_large_message()),
        429: (_("Thử lại sau"), _("Bạn đã thử quá nhiều lần. Vui lòng đợi một lát rồi thử lại.")),
        500: (_("Có lỗi xảy ra"), _("Máy chủ gặp lỗi. Chúng tôi đã ghi nhận; vui lòng thử lại sau.")),
        503: (_("Tạm ngừng phục vụ"), _("Trang đang tạm ngừng. Vui lòng thử lại sau ít phút.")),
    }


def _megabytes(size: int) -> str:
    return f"{round(size / 1024 / 1024, 1):g}"


def _too_large_message() -> str:
    # The limits the server applies, as configured: a deployment that raises them says so here.
    config = current_app.config
    return _(
        "Tệp gửi lên quá lớn: mỗi lần gửi tối đa %(request)s MB, mỗi ảnh tối đa %(photo)s MB. "
        "Hãy quay lại (nút Quay lại của trình duyệt giữ những gì bạn đã nhập), chọn ảnh nhỏ hơn "
        "hoặc ít ảnh hơn rồi gửi lại.",
        request=_megabytes(config["MAX_CONTENT_LENGTH"] or 0),
        photo=_megabytes(config["MAX_IMAGE_BYTES"]),
    )


def _form_address() -> str | None:
    """Where the refused form can be opened again: this address, when it answers a GET."""
    rule = request.url_rule
    if request.method == "POST" and rule is not None and "GET" in (rule.methods or ()):
        return request.full_path.rstrip("?")
    return None


def render_error(code: int, description: str | None = None):
    title, message = _messages().get(code, (_("Có lỗi xảy ra"), ""))
    if request.path.startswith("/api/"):
        return {"error": {"status": code, "title": title, "message": description or message}}, code
    back = _form_address() if code == 413 else None
    return render_template(
        "errors/error.html", code=code, title=title, message=description or message, back_url=back
    ), code


class UnstorableText(BadRequest):
    """A submitted value holds a NUL character, which no text column can store (PostgreSQL
    refuses it outright): refused at the door, before any view or query sees it."""


def _refuse_nul_characters() -> None:
    values = [request.args]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values.append(request.form)
    if any("\x00" in value for source in values for _, listed in source.lists() for value in listed):
        raise UnstorableText()


def register(app) -> None:
    app.before_request(_refuse_nul_characters)

    @app.errorhandler(UnstorableText)
    def unstorable_text(error):
        message = _("Dữ liệu gửi lên có ký tự không hợp lệ (ký tự NUL). Hãy gõ lại ô vừa dán rồi gửi lại.")
        return render_error(400, message)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("Phiên làm việc đã hết hạn. Hãy tải lại trang và gửi lại biểu mẫu."))

    @app.errorhandler(AudienceRefused)
    def audience_refused(error: AudienceRefused):
        # Someone signed in who opens the sellers' pages (the header links every account to
        # them) most likely wants to sell: say how to start instead of a bare refusal. Still
        # 403, because nothing of the sellers' pages is served and no seller view runs for them.
        if error.audience is Audience.SELLER and not request.path.startswith("/api/"):
            return render_template("errors/not_a_seller.html"), 403
        return render_error(403)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(InternalServerError)
    def unexpected_error(error: InternalServerError):
        # Reached for uncaught exceptions outside testing (tests let them propagate, with the
        # traceback). Whatever the request half-wrote is dropped.
        db.session.rollback()
        return render_error(500)
