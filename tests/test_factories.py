"""The factories of the other apps' rows that tests build by hand save a row of their model with
the model's own defaults (the reviews factories are tested in tests/reviews/test_factories.py)."""

import pytest
from django.apps import apps

from mlsys.conferences import enums
from tests import factories

pytestmark = pytest.mark.django_db

OTHER_FACTORIES = {
    "conferences.PhaseSetting": factories.PhaseSettingFactory,
    "submissions.Tag": factories.TagFactory,
    "submissions.ExtraField": factories.ExtraFieldFactory,
    "account.EmailAddress": factories.EmailAddressFactory,
    "accounts.AffiliationHistory": factories.AffiliationFactory,
    "accounts.Collaborator": factories.CollaboratorFactory,
    "mail.EmailTemplate": factories.EmailTemplateFactory,
    "mail.OutboundEmail": factories.OutboundEmailFactory,
}


@pytest.mark.parametrize("label", sorted(OTHER_FACTORIES))
def test_each_factory_saves_a_row_of_its_model(label):
    obj = OTHER_FACTORIES[label]()

    model = apps.get_model(label)
    assert type(obj) is model
    assert model.objects.filter(pk=obj.pk).count() == 1


def test_an_extra_email_address_is_neither_verified_nor_primary():
    address = factories.EmailAddressFactory()

    assert (address.verified, address.primary) == (False, False)
    assert address.user.emailaddress_set.count() == 2  # the user's own primary one and this one


def test_a_phase_setting_forces_its_phase_open_by_default():
    setting = factories.PhaseSettingFactory(phase=enums.Phase.BIDDING)

    assert setting.conference.timeline().is_open(enums.Phase.BIDDING)
