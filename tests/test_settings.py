import os
import subprocess
import sys

from django.conf import settings

BASE = str(settings.BASE_DIR)


def _run(code_or_args, **env_changes):
    removed = {"DEBUG", "SECRET_KEY", "ALLOW_INSECURE_SECRET_KEY", "TESTING"}
    env = {k: v for k, v in os.environ.items() if k not in removed}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(env_changes)
    return subprocess.run(
        [sys.executable, *code_or_args], cwd=BASE, env=env, capture_output=True, text=True
    )


def test_manage_py_runs_in_development_mode_without_configuration():
    result = _run(["manage.py", "check"])
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(["-c", "import ess_metro.wsgi"])
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_secret_key():
    result = _run(["-c", "import ess_metro.wsgi"], SECRET_KEY="a-long-random-production-key")
    assert result.returncode == 0, result.stderr
