#!/usr/bin/env python3
"""Create N synthetic clients through POST /api/v1/clients and write their ids, one a line.

    create-clients.py --port PORT --token TOKEN --count 1000 --threads 8 --out ids.txt

Used by bench/read-client.sh. Every name is made up; nothing here is real personal data.
Exits non-zero on the first response that is not 201.
"""

import argparse
import http.client
import json
import sys
import threading
import time

GIVEN = ["Ana", "Bora", "Chen", "Dara", "Esi", "Farah", "Goran", "Hana", "Ilya", "Jomo"]
FAMILY = ["Abara", "Brandt", "Costa", "Diallo", "Eriksen", "Fonseca", "Gupta", "Haddad"]


def body(n: int) -> bytes:
    given = GIVEN[n % len(GIVEN)]
    family = FAMILY[(n // len(GIVEN)) % len(FAMILY)]
    return json.dumps(
        {
            "preferred_name": f"{given} {n}",
            "legal_name": f"{given} {family}-{n}",
            "date_of_birth": "1990-01-02",
            "contact": f"Text only, weekday afternoons, number ending {n % 10000:04d}",
            "languages": ["English"],
        }
    ).encode()


def worker(port: int, token: str, numbers, ids, errors, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for n in numbers:
        if errors:
            return
        try:
            conn.request("POST", "/api/v1/clients", body=body(n), headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as err:
            with lock:
                errors.append(f"client {n}: {err!r}")
            return
        if resp.status != 201:
            with lock:
                errors.append(f"client {n}: HTTP {resp.status} {data[:200]!r}")
            return
        with lock:
            ids.append(json.loads(data)["id"])
    conn.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    ids: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    started = time.monotonic()
    workers = [
        threading.Thread(
            target=worker,
            args=(args.port, args.token, range(i, args.count, args.threads), ids, errors, lock),
        )
        for i in range(args.threads)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    if errors:
        print("create-clients: failed: " + errors[0], file=sys.stderr)
        return 1
    with open(args.out, "w", encoding="ascii") as out:
        out.write("\n".join(ids) + "\n")
    print(
        f"created {len(ids)} clients in {elapsed:.1f}s ({len(ids) / elapsed:.0f}/s, {args.threads} connections)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
