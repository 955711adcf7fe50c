"""An integration's mapping overrides merge onto each vendor's defaults, and bad ones are named."""

import pytest

from feedserver.webhooks.changes import InboundError
from feedserver.webhooks.vendors import ADAPTERS
from feedserver.webhooks.vendors.mapping import DEFAULT_MAPPINGS, mapping_from_config


def test_defaults_map_the_documented_objects_to_our_record_types():
    salesforce, hubspot, pipedrive = (
        DEFAULT_MAPPINGS[v] for v in ("salesforce", "hubspot", "pipedrive")
    )
    assert [
        salesforce.record_type(o) for o in ("Opportunity", "Account", "Contact", "Case", "Event")
    ] == [
        "opportunity",
        "account",
        "contact",
        "case",
        "visit",
    ]
    assert [hubspot.record_type(o) for o in ("deal", "company", "contact", "ticket")] == [
        "opportunity",
        "account",
        "contact",
        "case",
    ]
    assert [pipedrive.record_type(o) for o in ("deal", "organization", "person")] == [
        "opportunity",
        "account",
        "contact",
    ]
    assert pipedrive.record_type("activity", "meeting") == "visit"
    assert pipedrive.record_type("activity", "call") is None


def test_no_overrides_gives_the_default():
    assert mapping_from_config("hubspot", None) is DEFAULT_MAPPINGS["hubspot"]
    assert mapping_from_config("hubspot", {}) is DEFAULT_MAPPINGS["hubspot"]


def test_overrides_add_replace_and_remove_entries_without_touching_the_default():
    mapping = mapping_from_config(
        "hubspot",
        {
            "objects": {"ticket": None, "line_item": "opportunity"},
            "fields": {
                "deal": {"dealstage": "pipeline_stage", "amount": None},
                "contact": {"firstname": "name"},
            },
            "pass_through_unmapped": True,
        },
    )
    assert mapping.record_type("ticket") is None
    assert mapping.record_type("line_item") == "opportunity"
    assert mapping.field_map("deal")["dealstage"] == "pipeline_stage"
    assert "amount" not in mapping.field_map("deal")
    assert mapping.field_map("deal")["dealname"] == "name"
    assert mapping.field_map("contact")["firstname"] == "name"
    assert mapping.pass_through_unmapped is True
    assert DEFAULT_MAPPINGS["hubspot"].field_map("deal")["amount"] == "amount"
    assert DEFAULT_MAPPINGS["hubspot"].record_type("ticket") == "case"


@pytest.mark.parametrize(
    ("vendor", "overrides", "named"),
    [
        ("zoho", None, "vendor"),
        ("hubspot", ["deal"], "mapping"),
        ("hubspot", {"object": {}}, "mapping.object"),
        ("hubspot", {"objects": []}, "mapping.objects"),
        ("hubspot", {"objects": {"deal": "Opportunity!"}}, "mapping.objects.deal"),
        ("hubspot", {"objects": {"deal": 3}}, "mapping.objects.deal"),
        ("hubspot", {"fields": {"deal": "amount"}}, "mapping.fields.deal"),
        ("hubspot", {"fields": {"deal": {"amount": "Amount Total"}}}, "mapping.fields.deal.amount"),
        ("hubspot", {"pass_through_unmapped": "yes"}, "mapping.pass_through_unmapped"),
    ],
)
def test_bad_overrides_are_refused_422_naming_the_key(vendor, overrides, named):
    with pytest.raises(InboundError) as refused:
        mapping_from_config(vendor, overrides)
    assert refused.value.status == 422
    assert refused.value.field == named


def test_every_adapter_has_the_pipeline_interface():
    assert {name: adapter.SOURCE for name, adapter in ADAPTERS.items()} == {
        "salesforce-cdc": "salesforce",
        "salesforce-outbound": "salesforce",
        "hubspot": "hubspot",
        "pipedrive": "pipedrive",
    }
    for adapter in ADAPTERS.values():
        assert callable(adapter.authenticate) and callable(adapter.translate)
        assert adapter.SOURCE in DEFAULT_MAPPINGS
