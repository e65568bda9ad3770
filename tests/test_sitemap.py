"""The « Plan du site » page: every role opens it, and sees the sections of its roles."""

import pytest
from django.urls import reverse

URL = reverse("sitemap")


@pytest.mark.django_db
def test_anonymous_sees_the_public_sections_and_the_account_links(anonymous_client):
    content = anonymous_client.get(URL).content.decode()
    assert "<h1>Plan du site</h1>" in content
    assert reverse("governance:composition") in content
    assert reverse("projects:public_structuring_projects") in content
    assert reverse("communication:news_list") in content
    assert reverse("accounts:password_reset") in content
    assert reverse("projects:space_home") not in content
    assert reverse("staff_home") not in content


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["applicant_client", "other_applicant_client"])
def test_applicant_sees_their_space(role, request):
    content = request.getfixturevalue(role).get(URL).content.decode()
    assert reverse("projects:space_convention_list") in content
    assert reverse("communication:member_events") in content
    assert f'href="{reverse("governance:committee_home")}"' not in content
    assert reverse("accounts:password_reset") not in content


@pytest.mark.django_db
def test_committee_member_sees_the_committee_space(committee_client):
    content = committee_client.get(URL).content.decode()
    assert f'href="{reverse("governance:committee_home")}"' in content
    assert reverse("governance:register") in content
    assert reverse("staff_home") not in content


@pytest.mark.django_db
def test_staff_see_the_staff_desk(staff_client):
    content = staff_client.get(URL).content.decode()
    assert reverse("staff_home") in content
    assert f'href="{reverse("governance:committee_home")}"' in content


@pytest.mark.django_db
def test_every_page_links_the_site_map(anonymous_client):
    assert f'href="{URL}"' in anonymous_client.get(reverse("home")).content.decode()
