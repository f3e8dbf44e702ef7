"""What a trainer may do on the hub's admin page, by JupyterHub's own scope rules.

The admin page shows every button to every user who may open it ("Add Users", "Shutdown Hub",
"Edit User", "Delete User", "Access Server"); the REST API behind each button refuses a user whose
role lacks the scope the handler declares (jupyterhub/apihandlers/users.py and hub.py,
`@needs_scope(...)`). Here the trainer role of a course is expanded with JupyterHub's
`expand_scopes`, as the hub does at each request, and each button is checked against it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jupyterhub.scopes import expand_scopes, scope_definitions

from hub.courses import HubCourse
from hub.jhconfig import course_roles

# Admin-page action -> the scope its API handler needs (JupyterHub 5/6, apihandlers/*.py).
REFUSED = {
    "Add Users (POST /hub/api/users)": "admin:users",
    "Edit User: rename, make admin (PATCH /hub/api/users/<name>)": "admin:users",
    "Delete User (DELETE /hub/api/users/<name>)": "delete:users",
    "Shutdown Hub (POST /hub/api/shutdown)": "shutdown",
    "Access Server (/user/<name>/)": "access:servers",
    "a user's tokens (/hub/api/users/<name>/tokens)": "tokens",
    "Edit groups (POST /hub/api/groups/<name>/users)": "admin:groups",
}
ALLOWED_FOR_THE_COHORT = {
    "Start Server (POST /hub/api/users/<name>/server)": "start:servers",
    "Stop Server (DELETE /hub/api/users/<name>/server)": "delete:servers",
    "list the cohort's officers": "list:users",
}


@pytest.fixture
def trainer_scopes() -> set[str]:
    course = HubCourse("mn-2026-a", Path("/srv/courses/mn-2026-a"), "MN", {"mn-001": "Officer One"}, ["trainer-a"])
    role = next(r for r in course_roles(course) if r["name"] == course.formgrade_group)
    return set(expand_scopes(role["scopes"]))


def _held(scopes: set[str], scope: str) -> set[str]:
    """The filters (`!group=...`, or "" for all) under which `scopes` grant `scope`."""
    return {s.partition("!")[2] for s in scopes if s.partition("!")[0] == scope}


@pytest.mark.parametrize(("action", "scope"), REFUSED.items())
def test_the_api_refuses_a_trainer_the_hub_wide_buttons(trainer_scopes: set[str], action: str, scope: str) -> None:
    assert scope in scope_definitions, scope  # a real JupyterHub scope, not a typo that passes
    assert _held(trainer_scopes, scope) == set(), f"a trainer could use {action}"


@pytest.mark.parametrize(("action", "scope"), ALLOWED_FOR_THE_COHORT.items())
def test_a_trainer_may_start_and_stop_only_their_cohorts_servers(trainer_scopes: set[str], action: str,
                                                                 scope: str) -> None:
    assert scope in scope_definitions, scope
    assert _held(trainer_scopes, scope) == {"group=nbgrader-mn-2026-a"}, action
