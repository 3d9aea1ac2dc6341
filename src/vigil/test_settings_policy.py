from vigil.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "vigil.audit", "vigil.policy"]  # noqa: F405
INSTALLED_APPS = list(dict.fromkeys(INSTALLED_APPS))
