#!/usr/bin/env python3
"""Use a sign-up link the way a new member of staff does, and print the session cookie.

    sign-in.py --port PORT --link /login/setup/sht_... --password 'four unrelated words here'

Sets the password, reads the authenticator key from the page, computes the current code
(RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) and confirms it; prints the cookie pair
(`__Host-safeharbor=...`) for wrk's Cookie header. Used by bench/read-client.sh --staff-pages.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import re
import struct
import sys
import time
import urllib.parse


def totp(key: str, now: float) -> str:
    secret = base64.b32decode(key)
    digest = hmac.new(secret, struct.pack(">Q", int(now) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def post(port: int, path: str, fields: dict) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        path,
        body=urllib.parse.urlencode(fields),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{port}",
        },
    )
    return conn.getresponse()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--link", required=True)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    step = post(args.port, args.link, {"password": args.password, "password_again": args.password})
    page = step.read().decode()
    found = re.search(r"<code>([A-Z2-7 ]+)</code>", page)
    if step.status != 200 or not found:
        print(f"sign-up step 1 answered {step.status}", file=sys.stderr)
        return 1
    code = totp(found.group(1).replace(" ", ""), time.time())
    done = post(args.port, args.link + "/confirm", {"code": code})
    done.read()
    cookie = done.getheader("Set-Cookie") or ""
    if done.status != 303 or not cookie.startswith("__Host-safeharbor="):
        print(f"sign-up step 2 answered {done.status}", file=sys.stderr)
        return 1
    print(cookie.split(";")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
