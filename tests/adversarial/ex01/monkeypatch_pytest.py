# Attack: rewrites pytest's verdict machinery from inside the check process: report classes,
# the call/report functions, the grader's outcome plugin, and the `_grade_outcome` it stores.
# Expect: 0
import sys

ANSWERS = {1: False, 2: False, 3: True, 4: False}  # all wrong

# --- attack ---
try:
    import _pytest.reports
    import _pytest.runner

    _pytest.reports.TestReport.passed = property(lambda self: True)
    _pytest.reports.TestReport.failed = property(lambda self: False)
    _pytest.reports.BaseReport.passed = property(lambda self: True)
    original = _pytest.runner.call_and_report

    def call_and_report(item, when, log=True, **kw):
        report = original(item, when, log, **kw)
        report.outcome = "passed"
        item._grade_outcome = {"status": "passed", "message": None, "help": None, "expected": None,
                               "actual": None, "counterexample": None, "traceback": ""}
        return report

    _pytest.runner.call_and_report = call_and_report
    _pytest.runner.CallInfo.from_call = classmethod(lambda cls, func, when, reraise=None: original)
except Exception:
    pass
for name, module in list(sys.modules.items()):
    if name.endswith("plugin.outcome"):
        module.classify = lambda exc: {"status": "passed", "message": None, "help": None, "expected": None,
                                       "actual": None, "counterexample": None, "traceback": ""}
        module.final_outcome = lambda item: {"status": "passed"}
    if name.endswith("plugin.isolation"):
        module.decide = lambda *a, **k: {"status": "passed"}
        module.tamper_outcome = lambda problems: {"status": "passed"}
# --- end attack ---
