"""Who may do what, from which state, pinned: the transition tables against an explicit
grid (issue #20).

Each table below is written out by hand: one line per action, the statuses it may start
from, the roles that may take it, and which units' staff may act (the acting unit's
place relative to the case). The test renders the live table the same way and compares
the two texts, then asks `refusal()` about every cell of action × status × role × unit.
A change to who may do what, from which state, fails here until the grid is changed on
purpose, in the same commit.

To pin another table (obligations, supervision, leaders, screening), add an entry to
TABLES: the live table (a dict of rows with `sources`, `roles` and `units`), its grid
text, a stand-in for the object in a given status (only what its `units` functions
read: add attributes to `case_in` when a new unit function reads more), the unit ids of
each relation, its statuses and its refusal function.

Columns:
- from: statuses in cases.choices.Status order; `*` is every status, `* except …` every
  status but those.
- roles: role codes (org.choices.Role).
- units: whose staff may act, as the case stands:
    registering   the unit that registered the case (case.unit)
    current       the unit holding it now (case.current_unit)
    lead          the lead unit of an assignment (case.lead_unit)
    above-current the unit one level above the current unit (asked for a review)
    above-review  the unit one level above the unit that answered the review (re-review)
    assisting     an assisting unit (协办) whose part is still owed
    assigner      the unit that assigned the case (交办) and decides on its result
                  report (the creditor of its report-back obligation)
  A petition office acts for its government (Unit.acts_for): that is the units' own
  rule, tested in org; here each relation is one unit.
"""

import dataclasses
from types import SimpleNamespace

import pytest

from xinfang.cases import services
from xinfang.cases.choices import Status
from xinfang.lib.errors import NotAllowed, WrongState
from xinfang.org.choices import Role

CASE_GRID = """
action     | from                                                            | roles                                          | units
accept     | registered forwarded                                            | registrar head                                 | current
decline    | registered forwarded                                            | registrar head                                 | current
refuse     | registered forwarded                                            | registrar head                                 | current
forward    | registered forwarded                                            | registrar head                                 | current
assign     | accepted                                                        | registrar head                                 | current
return     | forwarded assigned in_progress                                  | handler head                                   | current
start      | accepted assigned                                               | handler head                                   | current
progress   | in_progress review re_review                                    | handler head                                   | current
assist     | assigned in_progress                                            | handler head                                   | assisting
draft      | in_progress review re_review                                    | handler head                                   | current
extend     | accepted assigned in_progress                                   | head                                           | current
sign       | in_progress review re_review                                    | head                                           | current
reply      | accepted assigned in_progress review re_review                  | head                                           | current
report     | in_progress                                                     | head                                           | current
approve    | reported                                                        | head supervisor                                | assigner
send_back  | reported                                                        | head supervisor                                | assigner
evaluate   | replied evaluated closed reviewed concluded                     | registrar handler head                         | registering current
close      | replied evaluated                                               | registrar head                                 | registering current
review     | replied evaluated closed                                        | registrar head                                 | registering above-current
re_review  | reviewed                                                        | registrar head                                 | registering above-review
conclude   | reviewed                                                        | head                                           | registering current
follow_up  | replied evaluated closed reviewed concluded                     | registrar handler head                         | registering current lead
archive    | declined refused closed concluded                               | registrar head                                 | registering current
merge      | * except archived merged voided                                 | registrar head                                 | current
split      | merged                                                          | registrar head                                 | current
correct    | * except archived merged voided                                 | registrar head                                 | registering
void       | registered                                                      | registrar head                                 | registering
deliver    | * except archived merged voided                                 | registrar handler head                         | registering current lead
note       | *                                                               | registrar handler head leader supervisor       | registering current lead
"""

RELATIONS = ["registering", "current", "lead", "above-current", "above-review", "assisting", "assigner", "elsewhere"]


def _unit(pk, above=None):
    return SimpleNamespace(pk=pk, review_unit=above)


def case_in(status):
    """A case (only what the table's unit functions read) whose every relation is a
    different unit: registering 1, current 2, lead 3, above-current 4, above-review 5,
    an assisting unit whose part is owed 7, the assigning unit 8 (the creditor of its
    open report-back obligation, `report_back`: see `report_back_of` below)."""
    above_review = _unit(5)
    return SimpleNamespace(
        status=status, kind="grievance", unit_id=1, current_unit_id=2, lead_unit_id=3,
        current_unit=_unit(2, above=_unit(4)), review_unit=_unit(6, above=above_review),
        get_status_display=lambda: Status(status).label, assistants_owing=lambda: {7},
        report_back=SimpleNamespace(creditor_unit_id=8, owner_unit_id=2, status="open"),
    )


CASE_UNIT_IDS = {"registering": 1, "current": 2, "lead": 3, "above-current": 4, "above-review": 5, "assisting": 7, "assigner": 8,
                 "elsewhere": 99}


@pytest.fixture(autouse=True)
def report_back_of(monkeypatch):
    """The stand-in's report-back obligation is an attribute, not a row."""
    monkeypatch.setattr(services.obligations, "report_back_of", lambda case: getattr(case, "report_back", None))


def staff(role, relation, unit_ids):
    """A user with exactly one role, in the unit standing in `relation` to the case."""
    pk = unit_ids[relation]
    return SimpleNamespace(unit_id=pk, unit=SimpleNamespace(acts_for={pk}), has_role=lambda *roles: role in roles)


TABLES = {
    "cases.services.FLOWS": dict(table=lambda: services.FLOWS, grid=CASE_GRID, case=case_in, unit_ids=CASE_UNIT_IDS,
                                 statuses=Status.values, refusal=services.refusal),
}


def render_sources(sources, statuses):
    if set(sources) == set(statuses):
        return "*"
    missing = [s for s in statuses if s not in sources]
    if len(missing) <= 3 and len(sources) > len(statuses) // 2:
        return "* except " + " ".join(sorted(missing))
    return " ".join(s for s in statuses if s in sources)


def render(spec):
    """The live table as grid rows: {action: (from, roles, units)}."""
    rows = {}
    for action, flow in spec["table"]().items():
        sample = spec["case"](spec["statuses"][0])
        ids = flow.units(sample)
        units = [name for name, pk in spec["unit_ids"].items() if pk in ids]
        roles = [r for r in Role.values if r in flow.roles]
        rows[str(action)] = (render_sources(flow.sources, spec["statuses"]), " ".join(roles), " ".join(units))
    return rows


def parse(grid):
    rows = {}
    lines = [line for line in grid.strip().splitlines()[1:] if line.strip()]
    for line in lines:
        action, sources, roles, units = (part.strip() for part in line.split("|"))
        sources = " ".join(sources.split())
        rows[action] = (sources, " ".join(roles.split()), " ".join(units.split()))
    return rows


def as_text(rows):
    return "\n".join(f"{a:<10} | {s:<60} | {r:<45} | {u}" for a, (s, r, u) in rows.items())


@pytest.mark.parametrize("name", TABLES)
def test_the_table_is_the_grid(name):
    spec = TABLES[name]
    expected, live = parse(spec["grid"]), render(spec)
    # Text against text: a failure shows the changed row as a diff.
    assert as_text(live) == as_text(expected), f"{name} differs from its pinned grid: change the grid on purpose"


def _unguarded(spec, monkeypatch):
    """The table with its guards (spent once: already extended, already evaluated) off:
    the grid is about states, roles and units; the guards have tests of their own."""
    table = spec["table"]()
    for action, flow in list(table.items()):
        if getattr(flow, "guard", None) is not None:
            monkeypatch.setitem(table, action, dataclasses.replace(flow, guard=None))
    return table


@pytest.mark.parametrize("name", TABLES)
def test_every_cell_of_the_grid_is_what_refusal_answers(name, monkeypatch):
    """action × status × role × unit: allowed exactly where the grid says, and each
    refusal is the right kind (the state first, then the role, then the unit)."""
    spec = TABLES[name]
    table = _unguarded(spec, monkeypatch)
    grid = parse(spec["grid"])
    assert set(grid) == {str(a) for a in table}
    checked = 0
    for action, (sources, roles, units) in grid.items():
        statuses = _expand(sources, spec["statuses"])
        for status in spec["statuses"]:
            case = spec["case"](status)
            for role in Role.values:
                for relation in RELATIONS:
                    why = spec["refusal"](case, action, staff(role, relation, spec["unit_ids"]))
                    cell = f"{action} from {status} by {role} of the {relation} unit"
                    if status not in statuses:
                        assert isinstance(why, WrongState), cell
                        assert str(Status(status).label) in why.message and "/" in why.message, cell
                    elif role not in roles.split():
                        assert isinstance(why, NotAllowed) and "角色" in why.message, cell
                    elif relation not in units.split():
                        assert isinstance(why, NotAllowed) and "不由您的单位办理" in why.message, cell
                    else:
                        assert why is None, f"{cell}: refused ({why})"
                    checked += 1
    assert checked == len(grid) * len(spec["statuses"]) * len(Role.values) * len(RELATIONS)


def _expand(sources, statuses):
    if sources == "*":
        return set(statuses)
    if sources.startswith("* except "):
        return set(statuses) - set(sources[len("* except "):].split())
    return set(sources.split())


def test_allowed_actions_follow_the_table_order_and_leave_out_notes(monkeypatch):
    spec = TABLES["cases.services.FLOWS"]
    _unguarded(spec, monkeypatch)
    head_here = staff(Role.HEAD, "current", CASE_UNIT_IDS)
    assert services.allowed_actions(case_in(Status.REGISTERED), head_here) == ["accept", "decline", "refuse", "forward", "merge", "deliver"]
    assert services.allowed_actions(case_in(Status.REVIEWED), head_here) == ["evaluate", "conclude", "follow_up", "merge", "deliver"]
    registrar_above = staff(Role.REGISTRAR, "above-review", CASE_UNIT_IDS)
    assert services.allowed_actions(case_in(Status.REVIEWED), registrar_above) == ["re_review"]


def test_an_unknown_action_is_refused_by_name():
    why = services.refusal(case_in(Status.REGISTERED), "teleport", staff(Role.HEAD, "current", CASE_UNIT_IDS))
    assert why.code == "unknown_action" and "teleport" in why.message


def test_petitioners_may_only_evaluate_and_ask_for_review():
    assert {str(a): sorted(p) for a, p in services.PETITIONER_ACTIONS.items()} == {
        "evaluate": ["comment", "satisfaction"], "review": ["reasons"], "re_review": ["reasons"]}
    why = services.petitioner_refusal(case_in(Status.REPLIED), "close")
    assert isinstance(why, NotAllowed) and "信访人" in why.message


# Which written document each step issues (cases/paperwork.py ISSUES), pinned like the
# grid: a step that starts or stops issuing a document changes this text on purpose.
DOCUMENTS_GRID = """
accept     accept_notice
decline    decline_notice
forward    forward_notice forward_form
assign     assign_form
extend     extension_notice
reply      opinion review_opinion re_review_opinion
sign       opinion review_opinion re_review_opinion
approve    opinion
refuse     refuse_notice
"""


def test_the_documents_each_step_issues_are_the_grid():
    from xinfang.cases.paperwork import ISSUES

    live = "\n".join(f"{str(action):<10} {' '.join(str(k) for k in kinds)}" for action, kinds in ISSUES.items())
    assert live.strip() == DOCUMENTS_GRID.strip()
    assert set(ISSUES) <= set(services.FLOWS)
