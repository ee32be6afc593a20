"""Form helpers shared by every domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.validators import Length

# WTForms ships no Vietnamese. Its own messages (a choice that is not offered, a value that is
# not a number, a required field, dates) are given here in Vietnamese msgids, so they reach the
# visitor through this site's catalogue like every other sentence.
WTFORMS_MESSAGES = {
    "Not a valid choice.": _l("Lựa chọn không hợp lệ. Hãy chọn một mục trong danh sách."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ. Hãy chọn một mục trong danh sách."),
    "This field is required.": _l("Ô này cần được điền."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Invalid email address.": _l("Địa chỉ email không đúng dạng."),
    "Not a valid integer value.": _l("Hãy nhập một số nguyên."),
    "Not a valid datetime value.": _l("Ngày giờ không đúng dạng."),
    "Not a valid date value.": _l("Ngày không đúng dạng."),
    "Not a valid time value.": _l("Giờ không đúng dạng."),
    "Field must be equal to %(other_name)s.": _l("Hai ô phải giống nhau."),
}


class _Messages:
    def gettext(self, string):
        return str(WTFORMS_MESSAGES.get(string, string))

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


class Form(FlaskForm):
    """Every form of the site: CSRF-protected, with WTForms' messages in the visitor's language."""

    class Meta:
        def get_translations(self, form):
            return _Messages()


def max_length(limit: int) -> Length:
    """A length check whose message is in the visitor's language."""
    return Length(max=limit, message=_l("Tối đa %(max)d ký tự.", max=limit))


def show_error(form, error, field_names: dict[str, str] | None = None) -> None:
    """Put a broken rule on the form: under the field it names, when the form has that field,
    otherwise at the top of the form, so no message is ever lost.

    field_names maps a service's name for a value to the form's, where they differ
    ({"category": "category_id"}).
    """
    name = error.field and (field_names or {}).get(error.field, error.field)
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = list(field.errors) + [str(error.message)]
    else:
        form.form_errors.append(str(error.message))
