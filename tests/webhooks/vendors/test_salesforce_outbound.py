"""Salesforce Outbound Messages (SOAP) are checked by org id, parsed safely and acknowledged."""

import pytest
from defusedxml.ElementTree import fromstring

from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.vendors import salesforce_outbound
from feedserver.webhooks.vendors.mapping import mapping_from_config
from tests.webhooks.vendors.payloads import at, inbound, payload

MAPPING = mapping_from_config("salesforce", None)
CAPTURED = "salesforce_outbound_message_account_captured.xml"
TWO_OPPORTUNITIES = "salesforce_outbound_message_two_opportunities.xml"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
OUTBOUND = "http://soap.sforce.com/2005/09/outbound"


def translate(body: bytes, mapping=MAPPING) -> list[InboundChange]:
    return salesforce_outbound.translate(inbound(body), mapping)


def test_captured_account_message_becomes_an_account_change():
    assert translate(payload(CAPTURED)) == [
        InboundChange(
            kind="record.updated",
            record_type="account",
            external_id="0019000001KwyWtAAJ",
            dedupe_key="04l9000001olR84AAE",
            name="Salesforce.com Inc.",
            extra={
                "sobject_type": "Account",
                "organization_id": "ABC90000000gNcmEAE",
                "action_id": "00190000000PGrlAAG",
            },
        )
    ]


def test_unmapped_fields_pass_through_under_their_salesforce_names_when_asked():
    mapping = mapping_from_config("salesforce", {"pass_through_unmapped": True})
    (change,) = translate(payload(CAPTURED), mapping)
    assert change.fields == {
        "BillingCity": "San Francisco",
        "BillingCountry": "United States",
        "BillingPostalCode": "CA 94105",
        "BillingStreet": "The Landmark @ One Market, Suite 300",
    }


def test_each_notification_of_a_batch_becomes_one_change():
    created, updated = translate(payload(TWO_OPPORTUNITIES))
    assert created == InboundChange(
        kind="record.created",  # CreatedDate equals LastModifiedDate
        record_type="opportunity",
        external_id="006SM0000001Tb3YAE",
        dedupe_key="04lSM0000001aAaYAI",
        name="Acme - 400 Widgets",
        account_external_id="001SM0000000iibYAA",
        fields={
            "amount": "40000.0",
            "close_date": "2022-05-31",
            "next_step": None,  # xsi:nil
            "stage": "Prospecting",
        },
        occurred_at=at("2022-05-19T16:32:13+00:00"),
        extra={
            "sobject_type": "Opportunity",
            "actor_external_id": "005SM000000146PYAQ",
            "owner_external_id": "005SM000000146PYAQ",
            "organization_id": "00DSM000000AbCdEFG",
            "action_id": "04kSM0000000AbCYAU",
        },
    )
    assert updated.kind == "record.updated"
    assert updated.external_id == "006SM0000001Tb4YAE"
    assert updated.dedupe_key == "04lSM0000001aAbYAI"
    assert updated.fields["stage"] == "Negotiation/Review"
    assert updated.fields["next_step"] == "Legal review"
    assert updated.occurred_at == at("2022-05-20T10:15:00+00:00")
    assert updated.extra["owner_external_id"] == "005SM00000099XYYAQ"


def test_unmapped_sobject_type_is_kept_with_a_warning():
    body = payload(CAPTURED).replace(b'xsi:type="sf:Account"', b'xsi:type="sf:Lead"')
    (change,) = translate(body)
    assert change.record_type is None
    assert change.external_id == "0019000001KwyWtAAJ"
    assert change.warnings == [
        "Salesforce object 'Lead' has no mapping to a Feedserver record type; "
        "add one to the integration's mapping and replay this event"
    ]


def test_ack_response_is_the_notifications_response_with_ack_true():
    root = fromstring(salesforce_outbound.ack_response())
    ack = root.find(f"{{{SOAP}}}Body/{{{OUTBOUND}}}notificationsResponse/{{{OUTBOUND}}}Ack")
    assert ack is not None and ack.text == "true"
    documented = fromstring(payload("salesforce_outbound_message_ack_response.xml"))
    assert [el.tag for el in root.iter()] == [el.tag for el in documented.iter()]


@pytest.mark.parametrize(
    "allowed",
    [["ABC90000000gNcmEAE"], ["ABC90000000gNcm"], ["00Dother", "ABC90000000gNcmEAE"]],
)
def test_message_from_an_allowed_org_authenticates(allowed):
    request = inbound(payload(CAPTURED))
    assert salesforce_outbound.authenticate(request, {"organization_ids": allowed}) is None


@pytest.mark.parametrize("credentials", [{"organization_ids": ["00DSM000000AbCd"]}, {}])
def test_message_from_another_org_or_without_configured_orgs_is_refused_401(credentials):
    with pytest.raises(InboundError) as refused:
        salesforce_outbound.authenticate(inbound(payload(CAPTURED)), credentials)
    assert refused.value.status == 401


def test_message_without_organization_id_is_refused_401():
    body = payload(CAPTURED).replace(b"<OrganizationId>ABC90000000gNcmEAE</OrganizationId>", b"")
    with pytest.raises(InboundError) as refused:
        salesforce_outbound.authenticate(inbound(body), {"organization_ids": ["ABC90000000gNcm"]})
    assert refused.value.status == 401


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
 <soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">
  <OrganizationId>&lol3;</OrganizationId></notifications></soapenv:Body></soapenv:Envelope>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
 <soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">
  <OrganizationId>&xxe;</OrganizationId></notifications></soapenv:Body></soapenv:Envelope>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_expansion_and_external_entities_are_refused_400(body):
    for call in (
        lambda: translate(body),
        lambda: salesforce_outbound.authenticate(inbound(body), {"organization_ids": ["x"]}),
    ):
        with pytest.raises(InboundError) as refused:
            call()
        assert refused.value.status == 400
        assert "XML with DTDs or entities is not accepted" in refused.value.message


def _notifications(count: int) -> bytes:
    one = (
        "<Notification><Id>04l{n:015d}</Id>"
        '<sObject xsi:type="sf:Account" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">'
        "<sf:Id>001{n:015d}</sf:Id></sObject></Notification>"
    )
    items = "".join(one.format(n=n) for n in range(count))
    return (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
        '<notifications xmlns="http://soap.sforce.com/2005/09/outbound">'
        f"<OrganizationId>00D000000000001</OrganizationId>{items}"
        "</notifications></soapenv:Body></soapenv:Envelope>"
    ).encode()


def test_a_hundred_notifications_are_accepted():
    changes = translate(_notifications(100))
    assert len(changes) == 100
    assert len({change.dedupe_key for change in changes}) == 100


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "body is empty"),
        (b"<soapenv:Envelope", "not well-formed XML"),
        (b"<Envelope/>", "root element must be soapenv:Envelope"),
        (
            b'<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body/></e:Envelope>',
            "has no soapenv:Body/notifications element",
        ),
        (_notifications(0), "holds no Notification element"),
        (_notifications(101), "holds 101 notifications"),
        (
            _notifications(1).replace(b"<Id>04l000000000000000</Id>", b""),
            "Notification[0] has no Id",
        ),
        (
            _notifications(1).replace(b' xsi:type="sf:Account"', b""),
            "has no xsi:type naming its object",
        ),
        (
            _notifications(1).replace(b"<sf:Id>001000000000000000</sf:Id>", b""),
            "sObject has no Id field",
        ),
    ],
)
def test_malformed_messages_are_refused_400_saying_what_is_wrong(body, message):
    with pytest.raises(InboundError) as refused:
        translate(body)
    assert refused.value.status == 400
    assert message in refused.value.message


def test_created_event_notification_logs_a_visit_at_its_start():
    body = (
        payload(CAPTURED)
        .replace(b'xsi:type="sf:Account"', b'xsi:type="sf:Event"')
        .replace(
            b"<sf:Name>Salesforce.com Inc.</sf:Name>",
            b"<sf:Subject>Site visit</sf:Subject><sf:AccountId>001SM0000000iibYAA</sf:AccountId>"
            b"<sf:StartDateTime>2024-05-06T09:00:00.000Z</sf:StartDateTime>"
            b"<sf:CreatedDate>2024-05-06T10:00:00.000Z</sf:CreatedDate>"
            b"<sf:LastModifiedDate>2024-05-06T10:00:00.000Z</sf:LastModifiedDate>",
        )
    )
    (change,) = translate(body)
    assert change.kind == "visit.logged"
    assert change.record_type == "visit"
    assert change.account_external_id == "001SM0000000iibYAA"
    assert change.fields == {"purpose": "Site visit", "check_in_at": "2024-05-06T09:00:00.000Z"}
    assert change.extra["visited_at"] == at("2024-05-06T09:00:00+00:00")
