"""The pytest plugin that grades, one concern per module, joined by pytest hooks:

- `scoring`: the `points` marker and what each collected check is worth;
- `determinism`: the hypothesis grading profile and the seeds set before every check;
- `outcome`: what happened in a check, as a learner-facing outcome;
- `isolation`: (grading only) each check in its own forked process, outcomes sent to the
  parent over a signed channel.

The first three are loaded by the kit's root `conftest.py`, so `pytest checks/...`
behaves like grading without the process isolation; the grader's worker adds `isolation`.
"""

ALWAYS = ["grader.plugin.scoring", "grader.plugin.determinism", "grader.plugin.outcome"]
