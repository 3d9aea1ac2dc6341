"""Stored scores: the population, reasons with sources, history, the register, the policy,
threshold notifications and the store of confirmed cross-source links."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from vigil.alerts.messages import email_of, webhook_body
from vigil.alerts.models import Notification, Outbox, Watch
from vigil.alerts.notifications import visible_notifications
from vigil.audit.models import AuditEntry
from vigil.core.context import change_context
from vigil.core.errors import Forbidden
from vigil.policy.access import restrict
from vigil.records.models import Act, ExternalId, Person
from vigil.warning import links, register
from vigil.warning.loading import Include
from vigil.warning.models import CrossSourceLink, ModelFit, RiskScore, WatchedPerson
from vigil.warning.scoring import Scoring, aliases_for, run_scoring

pytestmark = pytest.mark.django_db
AT = dt.date(2021, 6, 1)


def _score(user, at=AT, **kw):
    kw.setdefault("include", Include.SYNTHETIC)
    kw.setdefault("bootstrap", 10)
    return run_scoring(user, at=at, **kw).fit


@pytest.mark.slow  # ~2.3 s a run on a quiet 2-core machine
def test_scoring_stores_each_persons_score_with_reasons_sources_and_the_fit(planted_record):
    analyst = planted_record["analyst"]
    fit = _score(analyst)
    scores = list(RiskScore.objects.filter(fit=fit))
    assert fit.population == len(scores) > 20
    assert fit.method == "model" and fit.training_events >= fit.min_events
    assert 0 < fit.threshold < 1
    assert fit.data["acts"] > 0 and fit.data["records"] == "synthetic"
    assert {"auc", "auc_ci", "recall_at_k", "brier"} <= set(fit.backtest["model"])
    assert fit.backtest["baselines"] and fit.coefficients
    arrested_before = set(
        Act.objects.filter(act_type__key="arrest", date__lt=AT).values_list(
            "victim_person", flat=True
        )
    )
    assert not {s.person_id for s in scores} & arrested_before
    for s in scores:
        assert 0 < s.probability < 1
        assert s.reasons, "no score without its reasons"
        own = {
            str(a)
            for a in Act.objects.filter(victim_person=s.person_id).values_list("pk", flat=True)
        }
        assert s.reasons[0]["weight"] > 0 or all(r["weight"] <= 0 for r in s.reasons)
        for reason in s.reasons:
            assert reason["value"] > 0
            assert reason["records"], f"{reason['signal']} has no source"
            if reason["signal"].startswith("n_") or "detention" in reason["signal"]:
                assert set(reason["records"]) <= own
    top = scores[0]
    assert top.above_threshold and top.last_signal_on is not None
    assert top.last_signal_on < AT


@pytest.mark.slow  # ~1.4 s a run on a quiet 2-core machine
def test_each_run_adds_a_fit_so_a_trend_can_be_shown(planted_record):
    from vigil.warning.reading import _history

    analyst = planted_record["analyst"]
    first = _score(analyst, dt.date(2021, 3, 1), backtest=False)
    second = _score(analyst, AT, backtest=False)
    assert ModelFit.objects.count() == 2 and first.backtest == {}
    both = set(first.scores.values_list("person", flat=True)) & set(
        second.scores.values_list("person", flat=True)
    )
    person = sorted(both, key=str)[0]
    history = _history(analyst, second, [person])[str(person)]
    assert [d for d, _ in history] == [dt.date(2021, 3, 1), AT]


@pytest.mark.slow  # ~1.5 s a run on a quiet 2-core machine
def test_the_register_adds_persons_without_signals_and_relocated_ones_leave(planted_record):
    analyst = planted_record["analyst"]
    with change_context("test", actor=analyst, detail="register test"):
        quiet = Person.objects.create(display_name="Fictional Quiet Defender")
    entry, created = register.add(analyst, quiet, "follows political cases")
    assert created and entry.status == "watched" and entry.reason == "follows political cases"
    assert Watch.objects.filter(user=analyst, target_id=quiet.pk).exists()
    fit = _score(analyst, backtest=False)
    score = RiskScore.objects.get(fit=fit, person=quiet)
    assert score.reasons == [] and score.last_signal_on is None  # the base rate, said so
    noisy = fit.scores.first().person
    register.set_status(analyst, noisy, "relocated")
    register.set_status(analyst, quiet, "safe")
    later = _score(analyst, backtest=False)
    scored = set(later.scores.values_list("person", flat=True))
    assert noisy.pk not in scored and quiet.pk not in scored
    events = AuditEntry.objects.filter(event="risk_register").order_by("seq")
    assert [(e.meta["action"], e.meta.get("decision")) for e in events] == [
        ("add", None), ("add", None), ("status", "relocated"), ("status", "safe"),
    ]  # fmt: skip
    assert all("follows" not in str(e.meta) for e in events)


@pytest.mark.slow  # ~1.1 s a run on a quiet 2-core machine
@pytest.mark.parametrize("role", ["viewer", "documenter"])
def test_roles_outside_the_risk_rule_see_no_score_and_may_not_score(planted_record, role):
    analyst, other = planted_record["analyst"], planted_record[role]
    fit = _score(analyst, backtest=False)
    register.add(analyst, fit.scores.first().person)
    for model in (RiskScore, ModelFit, WatchedPerson, CrossSourceLink):
        assert not restrict(other, "view", model.objects.all()).exists()
    assert restrict(planted_record["coordinator"], "view", RiskScore.objects.all()).exists()
    with pytest.raises(Forbidden):
        _score(other)
    with pytest.raises(Forbidden):
        register.add(other, fit.scores.first().person)
    denied = AuditEntry.objects.filter(event="denied", actor_id=other.pk).latest("seq")
    assert denied.meta["reason"] == "risk_role"


def test_scores_of_persons_the_user_may_not_view_are_not_shown(planted_record):
    analyst = planted_record["analyst"]
    fit = _score(analyst, backtest=False)
    hidden = fit.scores.first().person
    Person.objects.filter(pk=hidden.pk).update(confidentiality="secret")
    visible = restrict(analyst, "view", RiskScore.objects.filter(fit=fit))
    assert not visible.filter(person=hidden).exists()
    assert restrict(planted_record["admin"], "view", RiskScore.objects.filter(person=hidden))


def _shows_number(text: str, probability: float) -> bool:
    """Whether ``text`` shows the probability as a number or a percentage — standing alone,
    not as digits inside another number (a timestamp's "20.21…" does not show 0.21)."""
    shown = {f"{round(probability, 3)}", f"{probability * 100:.0f}%", f"{probability * 100:.1f}%"}
    return any(re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", text) for s in shown)


def test_a_score_shown_in_a_text_is_found_but_not_inside_a_timestamp():
    assert _shows_number("risk 0.21 today", 0.21)
    assert _shows_number("risk 21% today", 0.21)
    assert not _shows_number('"occurred_at":"2026-12-07T12:44:20.214055+00:00"', 0.21)


@pytest.mark.slow  # ~2.2 s a run on a quiet 2-core machine
def test_crossing_the_threshold_notifies_watchers_who_may_see_risk_once(planted_record):
    analyst, viewer = planted_record["analyst"], planted_record["viewer"]
    probe = _score(analyst, backtest=False)
    top = probe.scores.filter(above_threshold=True).first().person
    ModelFit.objects.all().delete()  # start afresh: no previous fit, so everyone above crosses
    ct = ContentType.objects.get_for_model(Person)
    for user in (analyst, viewer):
        Watch.objects.create(user=user, target_type=ct, target_id=top.pk)
    run = run_scoring(analyst, at=AT, include=Include.SYNTHETIC, backtest=False)
    fit = run.fit
    assert str(top.pk) in run.crossed and run.notified == 1
    notes = Notification.objects.filter(kind="risk.threshold", target_id=top.pk)
    assert [n.recipient for n in notes] == [analyst]  # a viewer may not see risk scores
    assert visible_notifications(analyst).filter(kind="risk.threshold").count() == 1
    mail = Outbox.objects.get(recipient=analyst, channel="email")
    subject, body = email_of(analyst, mail.payload)
    assert "risk alert threshold" in body
    for text in (subject, body, webhook_body(mail.payload, "d1").decode()):
        assert top.display_name not in text and "Fictional" not in text
        assert not _shows_number(text, fit.scores.get(person=top).probability)
    _score(analyst, backtest=False)  # still above: no second notification
    assert Notification.objects.filter(kind="risk.threshold").count() == 1


def _linked_pair(user):
    with change_context("test", actor=user, detail="links test"):
        zubr = Person.objects.create(display_name="Сымон Фіктыўны", sex="male")
        ExternalId.objects.create(person=zubr, scheme="zubr", value="fictional-1")
        other = Person.objects.create(display_name="Symon FIKTYUNY", sex="male")
        from tests.policy import factories as f

        f.act(victim_person=other, date=dt.date(2021, 1, 10))
        Act.objects.create(
            event=f.event(),
            victim_person=zubr,
            act_type_id=f.term("act_type", "administrative_arrest"),
            date=dt.date(2020, 1, 15),
        )
    return zubr, other


def test_confirmed_links_are_stored_and_only_they_count_with_links_confirmed(risk_users):
    analyst = risk_users["analyst"]
    zubr, other = _linked_pair(analyst)
    counts = links.refresh_offers(analyst)
    assert counts["new"] == 1
    assert links.refresh_offers(analyst)["new"] == 0  # idempotent
    link = CrossSourceLink.objects.get()
    assert (link.zubr_person, link.other_person, link.status) == (zubr, other, "offered")
    assert aliases_for(analyst, "confirmed", Include.REAL) == {}
    out = StringIO()
    call_command("warning", "links", "confirm", str(link.pk), acting_user=analyst.username,
                 stdout=out)  # fmt: skip
    assert "confirmed" in out.getvalue()
    assert aliases_for(analyst, "confirmed", Include.REAL) == {str(zubr.pk): str(other.pk)}
    entry = AuditEntry.objects.filter(event="risk_link").latest("seq")
    assert entry.meta["decision"] == "confirmed"
    links.decide_link(analyst, link.pk, "rejected")
    assert aliases_for(analyst, "confirmed", Include.REAL) == {}
    with pytest.raises(Forbidden):
        links.decide_link(risk_users["documenter"], link.pk, "confirmed")


def test_score_command_says_when_the_points_baseline_stands_in(risk_users):
    analyst = risk_users["analyst"]
    _linked_pair(analyst)
    out = StringIO()
    call_command("warning", "score", "--at", "2021-06-01", "--records", "real", "--links", "none",
                 acting_user=analyst.username, stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "points baseline" in text and "more events" in text
    fit = ModelFit.objects.get()
    assert fit.method == "points" and fit.training_events < fit.min_events
    assert "error" in fit.backtest or "model" in fit.backtest


def test_a_scoring_run_returns_who_crossed_beside_the_stored_fit_not_on_it(planted_record):
    analyst = planted_record["analyst"]
    ModelFit.objects.all().delete()  # no previous fit: everyone above the threshold crosses
    run = run_scoring(analyst, at=AT, include=Include.SYNTHETIC, backtest=False)
    assert isinstance(run, Scoring) and isinstance(run.fit, ModelFit)
    above = run.fit.scores.filter(above_threshold=True).values_list("person", flat=True)
    assert run.crossed == sorted(str(p) for p in above) != []
    assert not hasattr(run.fit, "crossed") and not hasattr(run.fit, "notified")
    assert not hasattr(ModelFit.objects.get(pk=run.fit.pk), "crossed")
