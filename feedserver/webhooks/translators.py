"""Which adapter turns a stored request of each endpoint into InboundChanges."""

from importlib import import_module

from flask import current_app

from feedserver.models import Integration
from feedserver.webhooks import ours
from feedserver.webhooks.changes import InboundChange, InboundError
from feedserver.webhooks.request import InboundRequest

OWN_FORMAT = "feedserver"
# endpoint → (vendor module under webhooks/vendors, the vendor whose mapping it uses)
VENDOR_ENDPOINTS = {
    "salesforce_cdc": ("salesforce_cdc", "salesforce"),
    "salesforce_outbound": ("salesforce_outbound", "salesforce"),
    "hubspot": ("hubspot", "hubspot"),
    "pipedrive": ("pipedrive", "pipedrive"),
}


def vendor_module(endpoint: str):
    return import_module(f"feedserver.webhooks.vendors.{VENDOR_ENDPOINTS[endpoint][0]}")


def translator(endpoint: str):
    """A function (request, integration, message_key) → changes for this endpoint."""
    if endpoint == OWN_FORMAT:
        return _ours
    module_name, vendor = VENDOR_ENDPOINTS[endpoint]

    def translate(request: InboundRequest, integration: Integration, _key: str):
        from feedserver.webhooks.vendors.mapping import mapping_from_config

        module = import_module(f"feedserver.webhooks.vendors.{module_name}")
        return module.translate(request, mapping_from_config(vendor, integration.mapping or {}))

    return translate


def _ours(request: InboundRequest, integration: Integration, key: str) -> list[InboundChange]:
    if integration.vendor is not None:
        raise InboundError(f"this is a {integration.vendor} integration: use its endpoint", 403)
    return ours.translate(request.body, key, current_app.config["WEBHOOK_MAX_BATCH"])
