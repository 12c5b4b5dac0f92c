"""Python reference client for the SSE throughput bench: httpx + httpx-sse, json.loads per event.

Usage: sse_client.py URL TOKEN COUNT  ->  prints {"readings": n, "secs": t}
"""
import json
import sys
import time

import httpx
from httpx_sse import connect_sse


def main() -> None:
    url, token, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    headers = {"Authorization": f"Bearer {token}", "Last-Event-ID": "0", "Accept": "text/event-stream"}
    n = 0
    t0 = time.perf_counter()
    with httpx.Client(timeout=httpx.Timeout(60.0)) as client:
        with connect_sse(client, "GET", url, headers=headers) as es:
            for sse in es.iter_sse():
                # Frames without data (the initial `retry:`) are not readings.
                if sse.event != "message" or not sse.data:
                    continue
                reading = json.loads(sse.data)
                if "type" in reading:
                    n += 1
                if n >= count:
                    break
    print(json.dumps({"readings": n, "secs": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
