"""Prints, for each file named on the command line, one JSON line with the fields that
`mail-dump --json` prints, as Python's `email` package (policy.default) reads them.

Used by tests/differential.rs. Leaf parts are numbered as IMAP sections (RFC 3501 6.4.5).
"""
import email
import hashlib
import json
import sys
from email import policy


def addrs(msg, name):
    h = msg[name]
    if h is None:
        return []
    try:
        return [{"name": a.display_name or None, "address": a.addr_spec} for a in h.addresses]
    except Exception:  # noqa: BLE001 - a header Python cannot read at all
        return []


def date(msg):
    h = msg["date"]
    if h is None:
        return None
    dt = getattr(h, "datetime", None)
    if dt is None:
        return None
    s = dt.replace(microsecond=0).isoformat()
    if dt.tzinfo is None:
        s += "-00:00"
    return s


def message_id(msg):
    h = msg["message-id"]
    if h is None:
        return None
    v = str(h).strip()
    if v.startswith("<") and ">" in v:
        v = v[1 : v.index(">")]
    return v or None


def section(prefix, n):
    return f"{prefix}.{n}" if prefix else str(n)


def collect_leaves(part, path, out):
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for i, c in enumerate(part.get_payload()):
            collect_child(c, section(path, i + 1), out)
    else:
        collect_child(part, section(path, 1), out)


def collect_child(part, path, out):
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for i, c in enumerate(part.get_payload()):
            collect_child(c, section(path, i + 1), out)
    elif part.get_content_maintype() == "message" and part.is_multipart():
        payload = part.get_payload()
        if len(payload) == 1:
            collect_leaves(payload[0], path, out)
        else:
            for i, c in enumerate(payload):
                collect_child(c, section(path, i + 1), out)
    else:
        out.append((path, part))


def text_of(part, payload):
    if part.get_content_maintype() != "text":
        return None
    try:
        return part.get_content()
    except Exception:  # noqa: BLE001 - unknown charset and the like
        return None


def dump(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=policy.default)
    leaves = []
    collect_leaves(msg, "", leaves)
    parts = []
    for p, part in leaves:
        payload = part.get_payload(decode=True)
        if payload is None:
            payload = b""
        parts.append(
            {
                "path": p,
                "content_type": part.get_content_type(),
                "charset": part.get_param("charset"),
                "disposition": part.get_content_disposition(),
                "filename": part.get_filename(),
                "size": len(payload),
                "sha256": hashlib.sha256(payload).hexdigest(),
                "text": text_of(part, payload),
            }
        )
    headers = []
    for k, v in msg.items():
        try:
            headers.append({"name": k, "value": str(v)})
        except Exception:  # noqa: BLE001
            headers.append({"name": k, "value": None})
    subject = msg["subject"]
    return {
        "file": path,
        "headers": headers,
        "from": addrs(msg, "from"),
        "to": addrs(msg, "to"),
        "cc": addrs(msg, "cc"),
        "subject": None if subject is None else str(subject),
        "date": date(msg),
        "message_id": message_id(msg),
        "parts": parts,
    }


for path in sys.argv[1:]:
    try:
        print(json.dumps(dump(path)))
    except Exception as e:  # noqa: BLE001
        print(json.dumps({"file": path, "error": repr(e)}))
