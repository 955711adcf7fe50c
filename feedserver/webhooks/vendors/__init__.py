"""Vendor adapters: each vendor's own webhook format and authentication → InboundChange.

Every adapter module has ``SOURCE`` (the value for ``Record.source``), ``authenticate(request,
credentials)`` (401 on bad credentials) and ``translate(request, mapping)`` (400 malformed, 422
unknown event type). ``salesforce_outbound`` also has ``ack_response()``. The mapping comes from
``mapping.mapping_from_config(SOURCE, overrides)``.
"""

from feedserver.webhooks.vendors import hubspot, pipedrive, salesforce_cdc, salesforce_outbound

# Endpoint name → adapter module, for the pipeline's vendor routes.
ADAPTERS = {
    "salesforce-cdc": salesforce_cdc,
    "salesforce-outbound": salesforce_outbound,
    "hubspot": hubspot,
    "pipedrive": pipedrive,
}
