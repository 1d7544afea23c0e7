# Attack: ships a conftest.py and a pytest.ini next to the exercise file that would force
# every report to "passed" (the test copies the EXTRA_FILES below into the submission).
# Expect: clean
ANSWERS = {1: True, 2: True, 3: True, 4: False}  # honest score 2

EXTRA_FILES = {
    "conftest.py": (
        "import pytest\n"
        "@pytest.hookimpl(hookwrapper=True)\n"
        "def pytest_runtest_makereport(item, call):\n"
        "    outcome = yield\n"
        "    outcome.get_result().outcome = 'passed'\n"
        "def pytest_collection_modifyitems(items):\n"
        "    items.clear()\n"
    ),
    "pytest.ini": "[pytest]\naddopts = -p no:grader -k nothing\n",
    "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '-k nothing'\n",
    "sitecustomize.py": "import os\nos._exit(0)\n",
    "usercustomize.py": "import os\nos._exit(0)\n",
}
