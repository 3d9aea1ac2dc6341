"""A person imported from the real Viasna sample: the colony is a place of detention, not the
court of the conviction, on the profile and in the judge's dossier."""

from __future__ import annotations

from vigil.accounts.testing import login_verified
from vigil.records.models import Act, Involvement
from vigil.records.places import court_of, detention_place_of


def test_viasnas_place_of_detention_is_labelled_so_and_never_listed_as_a_court(
    viasna_person, analyst, client
):
    sentence = Act.objects.select_related("place").get(
        victim_person=viasna_person, act_type__key="sentence"
    )
    held = detention_place_of(sentence)
    assert held is not None and court_of(sentence) is None
    login_verified(client, analyst)
    html = client.get(f"/persons/{viasna_person.pk}/").content.decode()
    entry = html[html.index(f'id="act-{sentence.pk}"') :].split("</article>")[0]
    assert "<dt>Place of detention</dt>" in entry and held.display_name in entry
    assert "court not named in the source" in entry
    judge = Involvement.objects.get(act=sentence)  # row 1 names its judge
    dossier = client.get(f"/perpetrators/{judge.perpetrator_person_id}/").content.decode()
    courts = dossier[dossier.index('id="perp-courts"') :].split("</section>")[0]
    assert held.display_name not in courts and "No court is named" in courts
    assert held.display_name in dossier  # shown beside the sentence, as a place of detention
