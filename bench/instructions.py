#!/usr/bin/env python3
"""Instructions a request costs the server, counted by valgrind's callgrind: repeatable for the same
binary and inputs whatever else the machine is doing, so two builds can be compared where wrk's
timings drift by a fifth between runs (BENCHMARKS.md).

    bench/instructions.py --bin target/release/safeharbor --mode api|caseload|client \
        [--few 100] [--many 600]

Starts the server under callgrind twice on a fresh SQLite data folder, with one case manager and
20 clients made through the API (the staff pages signed in through bench/sign-in.py), sends the
same request `--few` and then `--many` times one after another on one connection, stops it, and
prints the instructions per request: the difference between the two runs' totals over the
difference in requests, so start-up and set-up cancel out. Modes: `api` is GET
/api/v1/clients/{id}, `caseload` GET /app/ and `client` GET /app/clients/{id}. Needs valgrind
(Debian package `valgrind`).
"""

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "four unrelated words here"


def total_instructions(binary: str, mode: str, requests: int) -> int:
    data = tempfile.mkdtemp(prefix="safeharbor-instructions.")
    added = subprocess.run(
        [binary, "users", "add", "--data-dir", f"{data}/data", "--username", "bench.user",
         "--role", "case-manager"],
        capture_output=True, text=True, check=True,
    ).stdout
    token = added.strip().splitlines()[-1].split()[-1]
    link = re.search(r"(/login/setup/\S+)", added).group(1)
    port = 47000 + os.getpid() % 1000
    out = f"{data}/callgrind.out"
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, "serve",
         "--data-dir", f"{data}/data", "--listen", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(600):
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/healthz")
            probe.getresponse().read()
            break
        except OSError:
            time.sleep(0.2)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    ids = []
    for i in range(20):
        body = {"preferred_name": f"Client {i}", "legal_name": f"Legal {i}", "contact": "555 0100"}
        conn.request("POST", "/api/v1/clients", body=json.dumps(body), headers=headers)
        ids.append(json.loads(conn.getresponse().read())["id"])
    if mode != "api":
        cookie = subprocess.run(
            [sys.executable, f"{HERE}/sign-in.py", "--port", str(port), "--link", link,
             "--password", PASSWORD],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        headers = {"Cookie": cookie}
    for i in range(requests):
        client = ids[i % len(ids)]
        path = {"api": f"/api/v1/clients/{client}", "caseload": "/app/",
                "client": f"/app/clients/{client}"}[mode]
        conn.request("GET", path, headers=headers)
        answer = conn.getresponse()
        answer.read()
        if answer.status != 200:
            sys.exit(f"instructions.py: {path} answered {answer.status}")
    server.send_signal(signal.SIGINT)
    server.wait(timeout=300)
    with open(out) as lines:
        for line in lines:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    sys.exit("instructions.py: callgrind wrote no total")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--mode", choices=["api", "caseload", "client"], required=True)
    parser.add_argument("--few", type=int, default=100)
    parser.add_argument("--many", type=int, default=600)
    args = parser.parse_args()
    few = total_instructions(args.bin, args.mode, args.few)
    many = total_instructions(args.bin, args.mode, args.many)
    per = (many - few) / (args.many - args.few)
    print(f"{args.bin} {args.mode}: {per:,.0f} instructions a request "
          f"({few:,} for {args.few}, {many:,} for {args.many})")


if __name__ == "__main__":
    main()
