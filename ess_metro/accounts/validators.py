"""Password strength after the CNIL's recommendation (délibération n° 2022-100): about 80
bits of entropy when the password is the only factor."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (str.islower, str.isupper, str.isdigit, lambda char: not char.isalnum())


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters ``password`` mixes."""
    return sum(any(test(char) for char in password) for test in CLASSES)


def strong_enough(password: str) -> bool:
    """12 characters of the four kinds, 14 of three kinds, or a passphrase of 20 or more."""
    length, kinds = len(password), character_classes(password)
    return (length >= 12 and kinds == 4) or (length >= 14 and kinds >= 3) or length >= 20


class CnilPasswordValidator:
    def validate(self, password, user=None):
        if not strong_enough(password):
            raise ValidationError(self.get_help_text(), code="password_too_weak")

    def get_help_text(self):
        return _(
            "Your password must have at least 12 characters mixing upper case, lower case, "
            "digits and special characters, or at least 14 characters mixing three of these "
            "kinds, or be a passphrase of at least 20 characters."
        )
