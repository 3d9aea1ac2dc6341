"""Readers' words (en/be/ru) for the model's signals and the backtest's baselines."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LABELS = {
    "n_summons_questioning": _("summons or questioning"),
    "n_search": _("search of home or office"),
    "n_administrative_detention": _("administrative detentions"),
    "n_administrative_fine": _("administrative fines"),
    "n_disbarment_proceedings": _("disbarment proceedings"),
    "n_licence_lost": _("licence suspended or revoked"),
    "n_failed_recertification": _("failed bar re-certification"),
    "n_travel_restriction": _("exit ban or border refusal"),
    "n_travel_document_seizure": _("travel document seized"),
    "n_threat": _("threats"),
    "n_surveillance": _("surveillance"),
    "n_state_media_smear": _("smear in state media"),
    "n_extremist_or_terrorist_list": _("on an \"extremist\" or \"terrorist\" list"),
    "n_criminal_case_opened": _("criminal case opened"),
    "recent_detention_90": _("administrative detention in the last 90 days"),
    "detention_recency": _("how recent the last administrative detention is"),
    "log_detention_days_total": _("days of administrative arrest in all"),
    "colleague_arrested_90": _("a colleague arrested in the last 90 days"),
    "codefendant_arrested_90": _("a co-defendant arrested in the last 90 days"),
    "client_convicted": _("a client sentenced"),
    "organisation_designated": _("the person's organisation designated or liquidated"),
}
BASELINES = {
    "recency": _("most recent administrative detention"),
    "prior_detentions": _("number of prior detentions"),
    "network_arrested_90": _("a colleague or co-defendant arrested in the last 90 days"),
    "points": _("points baseline"),
}
#: How the fit linked persons across sources (`Fit.links`).
LINK_MODES = {
    "names": _("links offered by the names engine (not confirmed by a person)"),
    "confirmed": _("only links a person confirmed"),
    "none": _("no links across sources"),
}
#: Which records the fit read (`Fit.data["records"]`).
RECORD_SETS = {
    "real": _("the real record (synthetic persons left out)"),
    "synthetic": _("synthetic records only (a test, not a figure)"),
    "all": _("real and synthetic records"),
}
