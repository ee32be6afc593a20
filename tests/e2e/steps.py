"""Steps a person takes in the browser, shared by the browser tests."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def log_in(page: Page, base_url: str, login: str, password: str = PASSWORD) -> None:
    """Sign in through the real form and wait for the greeting (wherever the person lands)."""
    page.goto(base_url + "/dang-nhap")
    page.get_by_label("Email hoặc số điện thoại").fill(login)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("status").filter(has_text="bạn đã đăng nhập")).to_be_visible()
