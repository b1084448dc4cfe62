"""`pip install ./clients/python` gives the package and the `sextant` console script (offline, as CI is: no build
isolation, no index; Debian's setuptools builds it)."""
import os
import shutil
import subprocess
import tempfile
import unittest

from tests.base import PACKAGE_ROOT, PYTHON, child_env


class InstallTest(unittest.TestCase):

    def test_pip_install_gives_the_package_and_the_console_script(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "src")  # a copy: setuptools writes build/ and *.egg-info next to the sources
            shutil.copytree(PACKAGE_ROOT, src, ignore=shutil.ignore_patterns(
                "tests", "build", "*.egg-info", "__pycache__"))
            venv = os.path.join(d, "venv")
            subprocess.run([PYTHON, "-m", "venv", "--system-site-packages", venv], check=True, timeout=300)
            pip = subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--no-build-isolation", "--no-index",
                                  "-q", src], capture_output=True, text=True, timeout=300)
            self.assertEqual(0, pip.returncode, pip.stdout + pip.stderr)
            env = child_env()
            env.pop("PYTHONPATH")  # the installed copy, not the source tree
            r = subprocess.run([os.path.join(venv, "bin", "sextant"), "study", "--help"], env=env, cwd=d,
                               capture_output=True, text=True, timeout=60)
            self.assertEqual(0, r.returncode, r.stderr)
            self.assertIn("create", r.stdout)
            r = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                                "import sextant, sextant.integrations; print(sextant.__file__, sextant.__version__)"],
                               env=env, cwd=d, capture_output=True, text=True, timeout=60)
            self.assertEqual(0, r.returncode, r.stderr)
            self.assertTrue(r.stdout.startswith(venv), r.stdout)
