#!/usr/bin/env python3
"""Expected anomaly scores and rule results for the sample workspace.

Independent of the engine: reads the series specification (../spec/network_series.csv) and
the watchlist rows (../src/watchlist.rs), aggregates the planted events the way each
port-misuse rule does, scores the 14-day series with the numpy reference of
series_decompose_anomalies (../shared/spec/series_reference.py, found relative to the
repository root), and prints the rows each rule must return.

Run from anywhere:  python3 crates/kql-testdata/expected/compute.py [--write]
--write also rewrites series_expected.csv (checked by the kql-testdata tests against the
generated rows).
"""
import csv
import io
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(CRATE))
SHARED_SPEC = os.path.join(os.path.dirname(REPO), "shared", "spec")
if not os.path.exists(os.path.join(SHARED_SPEC, "series_reference.py")):
    sys.exit(f"series_reference.py not found in {SHARED_SPEC} (../shared is needed)")
sys.path.insert(0, SHARED_SPEC)
from series_reference import series_decompose_anomalies  # noqa: E402

DAYS = 14
LOOKBACK_DAYS = 4  # eps = (events in the last 5 minutes) / 300 = 3 / 300 = 0 <= 500


def parse_load(text):
    parts = [int(p) for p in text.split("*")]
    if parts == [0]:
        return (0, 0, 0)
    if len(parts) == 2:
        return (parts[0], 1, parts[1])
    return tuple(parts)


def read_spec():
    lines = [l for l in open(os.path.join(CRATE, "spec", "network_series.csv"))
             if l.strip() and not l.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("".join(lines))))
    series = []
    for r in rows:
        old = parse_load(r["old"])
        days = [old] * 10 + [parse_load(r[f"d{d}"]) for d in range(10, 14)]
        series.append(dict(port=int(r["port"]), protocol=r["protocol"], direction=r["direction"],
                           action=r["action"], days=days, late=int(r["late"])))
    return series


def read_watchlist():
    """The ROWS constant of watchlist.rs (string literals, 12 per row)."""
    text = open(os.path.join(CRATE, "src", "watchlist.rs")).read()
    body = text[text.index("pub const ROWS"):]
    body = body[body.index("= [") + 3:body.index("\n];")]
    cells = re.findall(r'"((?:[^"\\]|\\.)*)"', body)
    assert len(cells) % 12 == 0, len(cells)
    cols = ["Ports", "App", "Protocol", "Direction", "Action", "Type", "ThresholdType",
            "Threshold", "Severity", "Tactic", "Name", "Description"]
    return [dict(zip(cols, cells[i:i + 12])) for i in range(0, len(cells), 12)]


def daily(s, lookback_days):
    """(events, rows) per day bin as the rule's raw leg sees them: only days inside the
    look-back (starttime = now - lookback_days*1d, a day-bin edge); rows = distinct
    (DstAppName, 10-minute bin) pairs, the rows of the rule's `summarize count() by ...`."""
    events, rows = [], []
    for d, (slots, apps, per) in enumerate(s["days"]):
        inside = d >= DAYS - lookback_days
        events.append(slots * apps * per if inside else 0)
        rows.append(slots * apps if inside and per else 0)
    if s["late"]:
        events[-1] += s["late"]
        rows[-1] += 1
    return events, rows


def last_point(series):
    flags, score, baseline = series_decompose_anomalies(series, 2.5, -1, "linefit")
    return score[-1], float(baseline[-1])


def toint(x):
    return int(math.trunc(x))


def trim_end_dot0(text):
    """KQL trim_end(".0", text): the regex `.0` (any character then 0) removed once at the end."""
    return re.sub(r"(?:.0)\Z", "", text, count=1)


def has(cell, value):
    """`cell has value` for one-token values: a whole term of cell, case-insensitively."""
    terms = re.findall(r"[0-9A-Za-z]+", cell.lower())
    return value.lower() in terms


def rule_rows(series, watchlist, rule):
    """Expected output rows of one port-misuse rule variant."""
    wtype, total, port_text, keep = rule["type"], rule["total"], rule["port"], rule["keep"]
    mapping = []
    for w in watchlist:
        if w["Type"] == wtype and w["ThresholdType"] == "Anomaly" and w["Severity"] != "Disabled":
            for port in w["Ports"].split(","):
                for proto in w["Protocol"].split(","):
                    for direction in w["Direction"].split(","):
                        for action in w["Action"].split(","):
                            mapping.append(dict(w, Ports=port, Protocol=proto,
                                                Direction=direction, Action=action))
    out = {}
    notes = []
    for s in series:
        events, rows = daily(s, LOOKBACK_DAYS)
        values = events if total == "sum" else rows
        if sum(values) == 0:
            continue
        score, baseline = last_point(values)
        passed = keep(toint(score), toint(baseline))
        port = port_text(str(s["port"]))
        matched = []
        for m in mapping:
            if m["Ports"] != port:
                continue
            if not (m["Protocol"] == "*" or has(m["Protocol"], s["protocol"])):
                continue
            if not (m["Direction"] == "*" or has(m["Direction"], s["direction"])):
                continue
            if not (m["Action"] == "*" or has(m["Action"], s["action"])):
                continue
            matched.append(m)
        notes.append((s, values, score, baseline, passed, port, bool(matched)))
        if not passed:
            continue
        for m in matched:
            key = (m["Name"], m["Severity"], m["Tactic"], port, m["Description"])
            sets = out.setdefault(key, (set(), set(), set()))
            sets[0].add(s["protocol"])
            sets[1].add(s["direction"])
            sets[2].add(s["action"])
    return out, notes


RULES = {
    "DetectPortMisuseByAnomalyBasedDetection (analytic 1.0.2)": dict(
        type="Detection", total="sum", port=trim_end_dot0, keep=lambda sc, bl: sc > 5.0),
    "DetectPortMisuseByAnomalyBasedDetection_v1.3.0_xdr": dict(
        type="Detection", total="sum", port=str, keep=lambda sc, bl: sc >= 5.0 and bl > 0),
    "DetectPortMisuseByAnomalyHunting (yaml)": dict(
        type="Hunting", total="sum", port=str, keep=lambda sc, bl: sc >= 5.0 and bl > 0),
    "seed 003 hunting query (count() of 10-minute rows)": dict(
        type="Hunting", total="count", port=trim_end_dot0, keep=lambda sc, bl: sc > 5.0),
}


def key(s):
    return f'{s["port"]}/{s["protocol"]}/{s["direction"]}/{s["action"]}'


def main():
    series = read_spec()
    watchlist = read_watchlist()
    print("# Series of the 4-day look-back (days d10..d13; d0..d9 are 0)")
    print()
    print("| series | events d10..d13 | score | baseline | rows d10..d13 | score | baseline | score if all 14 days were read |")
    print("|---|---|---|---|---|---|---|---|")
    table = []
    for s in series:
        events, rows = daily(s, LOOKBACK_DAYS)
        se, be = last_point(events)
        sr, br = last_point(rows)
        full_events, _ = daily(s, DAYS)
        sf, _ = last_point(full_events)
        table.append((s, events, rows, se, be, sr, br))
        print(f"| {key(s)} | {events[10:]} | {se:.4f} | {be:.4f} | {rows[10:]} | {sr:.4f} | {br:.4f} | {sf:.4f} |")
    for name, rule in RULES.items():
        out, notes = rule_rows(series, watchlist, rule)
        print()
        print(f"## {name}")
        print()
        for (s, values, score, baseline, passed, port, matched) in notes:
            if matched or passed:
                print(f"- {key(s)}: series {values[10:]} score {score:.4f} "
                      f"(toint {toint(score)}) baseline {baseline:.4f} (toint {toint(baseline)}), "
                      f"port text '{port}': {'passes' if passed else 'fails'} the score filter, "
                      f"{'matches' if matched else 'matches no'} watchlist row")
        print()
        print("Expected rows (Name | Severity | Tactic | DstPortNumber | NetworkProtocols | NetworkDirections | DvcActions):")
        for k in sorted(out):
            p, d, a = out[k]
            print(f"  {k[0]} | {k[1]} | {k[2]} | {k[3]} | {sorted(p)} | {sorted(d)} | {sorted(a)}")

    # Per-port series of queries/port_anomalies.kql (count() of raw events by port only).
    print()
    print("## queries/port_anomalies.kql (make-series count() by DstPortNumber, last 4 days)")
    ports = {}
    for s in series:
        events, _ = daily(s, LOOKBACK_DAYS)
        acc = ports.setdefault(s["port"], [0] * DAYS)
        for i, e in enumerate(events):
            acc[i] += e
    # The threat sessions of the summary rule (port 6667): 12 events on the last day.
    ports.setdefault(6667, [0] * DAYS)[-1] += 12
    for port in sorted(ports):
        flags, score, baseline = series_decompose_anomalies(ports[port], 2.5, -1, "linefit")
        print(f"- {port}: {ports[port][10:]} score {score[-1]:.6f} baseline {float(baseline[-1]):.6f} flag {flags[-1]}")

    if "--write" in sys.argv:
        path = os.path.join(HERE, "series_expected.csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["port", "protocol", "direction", "action"]
                       + [f"events_d{d}" for d in range(10, 14)] + [f"rows_d{d}" for d in range(10, 14)]
                       + ["score_sum", "baseline_sum", "score_count", "baseline_count"])
            for (s, events, rows, se, be, sr, br) in table:
                w.writerow([s["port"], s["protocol"], s["direction"], s["action"]]
                           + events[10:] + rows[10:]
                           + [f"{se:.6f}", f"{be:.6f}", f"{sr:.6f}", f"{br:.6f}"])
        print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
