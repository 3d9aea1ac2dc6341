import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.record_acts import act_of
from vigil.core.errors import ImportFailed
from vigil.responses.models import ViolationCoding

from .conftest import person

D = dt.date


COORDINATOR = "fictional-coordinator"


def run(*args: str, acting: str = COORDINATOR) -> str:
    """Run `vigil responses ARGS --as ACTING` (a fictional coordinator by default)."""
    from vigil.accounts.models import User

    User.objects.get_or_create(username=COORDINATOR, defaults={"role": "coordinator"})
    out = StringIO()
    call_command("responses", *args, acting_user=acting, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_upr_command_reports_supported_and_pending(db, shared_data: Path):
    path = shared_data / "upr" / "belarus_upr2010_recommendations.csv"
    summary = json.loads(run("import-upr", str(path), "--json"))
    assert summary["imported"] == 168
    assert summary["by_response"] == {"pending": 76, "supported": 92}


def test_import_upr_command_fails_on_a_bad_file(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,to,decision,From,year,notes\nx (Utopia);,belarus,?,Utopia,2010,\n")
    with pytest.raises(ImportFailed):
        run("import-upr", str(path))


def test_gap_command_prints_json(ctx):
    lawyer = person("Advocata Fictiva (fictional)", "lawyer")
    act_of(lawyer, "arrest", D(2023, 1, 5))
    data = json.loads(run("gap", "--json"))
    assert data["detained_without_response"][0]["person"] == "Advocata Fictiva (fictional)"


def test_suggest_then_code_accept_from_the_command_line(ctx):
    defender = person("Defensor Imaginarius (fictional)", "human_rights_defender")
    act_of(defender, "arrest", D(2023, 3, 3))
    out = run("suggest", "--person", str(defender.pk))
    assert out.startswith("4 suggestions created")
    coding = ViolationCoding.objects.get(standard_id="wgad:II")
    assert "accepted" in run("code", "accept", str(coding.pk))
    coding.refresh_from_db()
    assert coding.status == "accepted"
