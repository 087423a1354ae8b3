"""Settings for the test suite: pytest names this module (``pyproject.toml``).

The project's settings with test mode switched on (``MLSYS_TESTING=1``): tasks run eagerly, mail
stays in memory, passwords hash fast, uploads go to ``MLSYS_TEST_MEDIA``, and a fixed key signs
sessions when no ``SECRET_KEY`` is set. Outside the suite only an explicit ``MLSYS_TESTING=1``
(the benchmarks set it) turns test mode on: a process that merely imports pytest does not.
"""

import os

# Set in the environment (not only here) so that the settings module reads it before the .env
# file is considered; processes the tests start inherit it unless they set their own value.
os.environ["MLSYS_TESTING"] = "1"

from mlsys.settings import *  # noqa: E402, F403
