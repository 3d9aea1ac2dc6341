"""Starting Vigil loads no heavy library: the URL conf and every command module import only what
`vigil --help`, `vigil check`, `vigil serve` and a worker need before they do anything.

pandas, scipy, scikit-learn, statsmodels, matplotlib, Splink, followthemoney, openpyxl,
WeasyPrint and python-docx cost 2.5–3 s of CPU together at import (issue 14 §1); the code that
uses them imports them where it uses them. A fresh interpreter (the test process has them all
loaded already) sets Django up, imports ``vigil.urls`` and every Vigil command module as
`vigil --help` does, and names each heavy package loaded with the Vigil lines that pulled it in.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

import pytest

from tests.conftest import child_env

HEAVY = (
    "pandas",
    "scipy",
    "sklearn",
    "statsmodels",
    "matplotlib",
    "splink",
    "duckdb",
    "followthemoney",
    "openpyxl",
    "weasyprint",
    "docx",
    "docxtpl",
    "numpy",
)

PROBE = """
import json, sys, traceback

heavy = set(sys.argv[1].split(","))
first = {}


class Watch:
    # Records where each heavy package is first imported from; finds nothing itself.
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in heavy and top not in first:
            first[top] = [
                f"{f.filename.rpartition('/vigil/')[2]}:{f.lineno}"
                for f in traceback.extract_stack()
                if "/vigil/" in f.filename
            ][-6:]
        return None


sys.meta_path.insert(0, Watch())
import django

django.setup()
import vigil.urls
from django.core.management import get_commands, load_command_class

commands = {n: app for n, app in get_commands().items() if app.startswith("vigil")}
for name, app in commands.items():
    load_command_class(app, name)
loaded = sorted(m for m in heavy if m in sys.modules)
print(json.dumps({"commands": len(commands), "loaded": {m: first.get(m) for m in loaded}}))
"""


@pytest.mark.slow  # ~1.7 s a run on a quiet 2-core machine
def test_the_url_conf_and_the_command_modules_load_no_heavy_library():
    with tempfile.TemporaryDirectory() as data:
        env = {**child_env(), "VIGIL_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "vigil.settings"}
        done = subprocess.run(
            [sys.executable, "-c", PROBE, ",".join(HEAVY)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["commands"] >= 30  # the command modules were really imported
    culprits = "\n".join(f"{m}: {' > '.join(w or ['?'])}" for m, w in found["loaded"].items())
    assert found["loaded"] == {}, "import these where they are used:\n" + culprits
