"""A webhook receiver on 127.0.0.1 that answers from a script, and quick-retry settings."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks.webhooks import EmptyWebhookSecretError, Webhook, WebhookVerificationError


class Receiver:
    """Answers each POST with the next scripted status (the last one repeats)."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        self.secret: str | None = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    Webhook(receiver.secret).verify(body, headers)
                    verified = True
                except (WebhookVerificationError, EmptyWebhookSecretError):
                    verified = False
                receiver.requests.append(
                    {"headers": headers, "payload": json.loads(body), "verified": verified}
                )
                status = (
                    receiver.statuses.pop(0)
                    if len(receiver.statuses) > 1
                    else (receiver.statuses[0])
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver():
    made = []

    def start(*statuses):
        made.append(Receiver(statuses or (204,)))
        return made[-1]

    yield start
    for one in made:
        one.close()


@pytest.fixture
def quick_retries(app):
    """Retry at once (backoff 0) so a test drives attempts by running the worker again."""
    saved = {k: app.config[k] for k in ("OUTBOUND_BACKOFF_BASE_SECONDS",)}
    app.config["OUTBOUND_BACKOFF_BASE_SECONDS"] = 0
    yield
    app.config.update(saved)


@pytest.fixture
def deliver(app):
    """Run `flask webhooks deliver --once`, as an operator would."""

    def run():
        result = app.test_cli_runner().invoke(args=["webhooks", "deliver", "--once"])
        assert result.exit_code == 0, result.output
        return result.output

    return run
