"""Load generator: GET each request of a list, `concurrency` at a time; records latencies.

Spec file (argv[1]): {"requests": [[url, bearer_token_or_null], ...], "warm"?: [...],
"concurrency", "deadline_s", "out"}. The `warm` list (if any) is sent first, unrecorded; each
pass has its own deadline. Writes {"times": [[i, seconds, status, bytes], ...]} for `requests`.
"""

import json
import sys
import threading
import time
from pathlib import Path

import requests


def main(spec_path: str) -> None:
    spec = json.loads(Path(spec_path).read_text())
    if spec.get("warm"):
        one_pass(spec["warm"], spec, time.monotonic() + spec.get("deadline_s", 120))
    times = one_pass(spec["requests"], spec, time.monotonic() + spec.get("deadline_s", 120))
    with open(spec["out"], "w") as out:
        json.dump({"times": sorted(times)}, out)


def one_pass(todo: list[list], spec: dict, deadline: float) -> list[list]:
    lock = threading.Lock()
    indexes = iter(range(len(todo)))
    times: list[list] = []

    def worker():
        session = requests.Session()
        while time.monotonic() < deadline:
            with lock:
                i = next(indexes, None)
            if i is None:
                return
            url, token = todo[i]
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            started = time.perf_counter()
            try:
                answer = session.get(url, headers=headers, timeout=60)
                status, size = answer.status_code, len(answer.content)
            except requests.RequestException:
                status, size = 0, 0
            with lock:
                times.append([i, time.perf_counter() - started, status, size])

    threads = [threading.Thread(target=worker) for _ in range(spec.get("concurrency", 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


if __name__ == "__main__":
    main(sys.argv[1])
