"""Load generator: POST a list of bodies to a URL, paced or as fast as allowed; records times.

Spec file (argv[1]): {"urls": [...], "bodies": [...], "secret"?: Standard Webhooks secret,
"concurrency", "interval_s" (0 = as fast as possible), "deadline_s", "out"}. Request i goes to
urls[i % len(urls)]. Writes {"sent": [[i, t_send, t_ack, status], ...]} to `out`; times are
time.monotonic() (one system-wide clock on Linux).
"""

import json
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
from standardwebhooks.webhooks import Webhook


def headers_for(body: bytes, secret: str | None) -> dict:
    headers = {"Content-Type": "application/json"}
    if secret:
        message_id = f"msg_{uuid.uuid4().hex}"
        now = time.time()
        from datetime import UTC, datetime

        stamp = datetime.fromtimestamp(now, tz=UTC)
        headers.update(
            {
                "webhook-id": message_id,
                "webhook-timestamp": str(int(now)),
                "webhook-signature": Webhook(secret).sign(message_id, stamp, body.decode()),
            }
        )
    return headers


def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    urls, bodies, secret = spec["urls"], spec["bodies"], spec.get("secret")
    interval, deadline = spec.get("interval_s", 0), time.monotonic() + spec.get("deadline_s", 300)
    results: list[list] = []
    lock = threading.Lock()
    next_index = iter(range(len(bodies)))
    started = time.monotonic()

    def worker():
        session = requests.Session()
        while time.monotonic() < deadline:
            with lock:
                i = next(next_index, None)
            if i is None:
                return
            if interval:
                # Paced: request i leaves at started + i * interval, whoever sends it.
                time.sleep(max(0.0, started + i * interval - time.monotonic()))
            body = json.dumps(bodies[i]).encode()
            headers = {**headers_for(body, secret), **spec.get("headers", {})}
            sent = time.monotonic()
            try:
                answer = session.post(urls[i % len(urls)], data=body, headers=headers, timeout=30)
                status = answer.status_code
            except requests.RequestException:
                status = 0
            with lock:
                results.append([i, sent, time.monotonic(), status])

    threads = [threading.Thread(target=worker) for _ in range(spec.get("concurrency", 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(spec["out"], "w") as out:
        json.dump({"sent": sorted(results), "elapsed": time.monotonic() - started}, out)


if __name__ == "__main__":
    main(sys.argv[1])
