import pytest
from django.urls import reverse

from ess_metro.directory.models import Commune

URL = "/gestion/communes/"


def _data(**codes):
    communes = list(Commune.objects.order_by("name"))
    data = {
        "form-TOTAL_FORMS": str(len(communes)),
        "form-INITIAL_FORMS": str(len(communes)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, commune in enumerate(communes):
        data[f"form-{index}-id"] = str(commune.pk)
        data[f"form-{index}-insee_code"] = codes.get(commune.name, commune.insee_code)
    return data


def test_url_name():
    assert reverse("directory:commune_codes") == URL


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("applicant", 403),
        ("other_applicant", 403),
        ("committee", 403),
        ("staff", 200),
    ],
)
def test_commune_codes_per_role(role_clients, role, status):
    assert role_clients[role].get(URL).status_code == status
    assert role_clients[role].post(URL, _data(Fontaine="38169")).status_code in {status, 302}
    assert (Commune.objects.get(name="Fontaine").insee_code == "38169") is (role == "staff")


def test_staff_saves_codes(staff_client):
    response = staff_client.post(URL, _data(Fontaine="38169", Meylan="38229"))
    assert response.status_code == 302
    assert Commune.objects.get(name="Meylan").insee_code == "38229"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("75056", "commence par 38"),
        ("3816", "commence par 38"),
        ("38185", "déjà attribué à une autre commune"),  # Grenoble's
    ],
)
def test_bad_codes_are_refused_next_to_the_field(staff_client, code, message):
    response = staff_client.post(URL, _data(Fontaine=code, Meylan="38229"))
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'value="38229"' in content  # what was typed is kept
    assert Commune.objects.get(name="Meylan").insee_code == ""


def test_commune_page_query_count(staff_client, django_assert_max_num_queries):
    staff_client.get(URL)
    with django_assert_max_num_queries(8):
        staff_client.get(URL)


def test_statistics_import_page_links_to_the_commune_codes(staff_client):
    content = staff_client.get(reverse("communication:dataset_import")).content.decode()
    assert 'href="/gestion/communes/"' in content
    assert "codes INSEE des communes" in content
