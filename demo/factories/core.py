"""factory_boy factories shared by the whole suite. Each app's tests add theirs here or beside."""

import datetime

import factory
from django.contrib.auth.models import Group

from ess_metro.accounts import roles
from ess_metro.accounts.models import User
from ess_metro.directory.models import Commune, LegalForm, Membership, MembershipRole, Organisation
from governance.models import College, Mandate, MandateKind, SeatCategory

PASSWORD = "un-mot-de-passe-solide-42"


def siret_with_checksum(seed: int) -> str:
    """A valid SIRET (Luhn on SIREN and SIRET) built from a sequence number."""
    from ess_metro.directory.rules import luhn_valid

    base = f"{(123456780 + seed * 10) % 10**9:09d}"[:8]
    siren = next(base + str(d) for d in range(10) if luhn_valid(base + str(d)))
    nic = f"{seed % 10000:04d}"
    return next(siren + nic + str(d) for d in range(10) if luhn_valid(siren + nic + str(d)))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)
    email_confirmed_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))

    class Params:
        staff = factory.Trait(
            groups=factory.PostGeneration(
                lambda user, create, extracted, **kw: user.groups.add(
                    Group.objects.get_or_create(name=roles.STAFF_GROUP)[0]
                )
            )
        )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association solidaire n°{n}")
    legal_form = LegalForm.ASSOCIATION
    siret = factory.Sequence(siret_with_checksum)
    rna = factory.Sequence(lambda n: f"W38{n:07d}")
    ape_code = "88.99B"
    commune = factory.LazyFunction(lambda: Commune.objects.get(name="Grenoble"))

    class Params:
        cooperative = factory.Trait(legal_form=LegalForm.SCOP, rna="")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.ADMIN


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    person = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    college = factory.LazyFunction(lambda: College.objects.get(code="ess-actors"))
    category = SeatCategory.ASSOCIATIONS
    kind = MandateKind.HOLDER
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=365))
    end_date = None


def make_applicant(**kwargs) -> User:
    """A person who belongs to one organisation (the applicant role)."""
    membership = MembershipFactory(**kwargs)
    return membership.user


def give_second_factor(user: User, *, key: str | None = None):
    """A confirmed authenticator-app device for ``user`` (a fixed hex ``key`` in the demo)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        extra = {"key": key} if key else {}
        device = TOTPDevice.objects.create(user=user, name="App", confirmed=True, **extra)
    return device


def totp_code(user: User) -> str:
    """The code the person's app shows now (what a browser test types)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def needs_second_factor(user: User) -> bool:
    """Staff and admin users (asked afresh: no role cached on ``user``)."""
    return bool(
        user.is_staff or user.is_superuser or user.groups.filter(name=roles.STAFF_GROUP).exists()
    )


def verify_session(client, user: User) -> None:
    """Mark the test client's session as verified by the person's second factor, as the
    login's second step does (``ess_metro.accounts.two_factor.mark_verified``)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = give_second_factor(user).persistent_id
    session.save()


def make_staff(**kwargs) -> User:
    """A member of the staff, with an authenticator app (staff must use a second factor)."""
    user = UserFactory(staff=True, **kwargs)
    give_second_factor(user)
    return user


def make_committee_member(**kwargs) -> User:
    return MandateFactory(**kwargs).person
