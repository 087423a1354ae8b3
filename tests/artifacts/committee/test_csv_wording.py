"""The AE CSV import names only the AE roles when a role is not a role at all (a stray value in
an extra column used to get "must be one of program_chair, pc_member, …")."""

from artifacts.committee import services
from tests.factories import artifacts as af


def test_unknown_role_names_only_the_ae_roles(db):
    conference = af.ae_conference()
    text = "name,email\nGrace Hopper,grace@navy.example\nAlan Turing,alan@bletchley.example,extra\n"
    report = services.check_csv(text, conference=conference)
    assert report.errors == ["row 3: role must be ae_evaluator or ae_chair (got 'extra')"]
    assert "program_chair" not in " ".join(report.errors)
