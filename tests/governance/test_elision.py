"""Names in the governance pages take the French elision (« Présence d'Isabelle Faure »)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_attendance_page_elides_before_a_vowel(staff_client, held_meeting):
    meeting, _item, seats = held_meeting
    person = seats[0].person
    person.first_name, person.last_name = "Isabelle", "Faure"
    person.save()
    content = staff_client.get(reverse("governance:attendance", args=[meeting.pk])).content.decode()
    assert "Présence d&#x27;Isabelle Faure" in content
