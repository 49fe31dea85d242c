#!/usr/bin/env python3
"""Regenerates the engine's built-in catalogue from the reference material in ../shared.

Outputs (both committed; do not edit them by hand):

* ``schemas.txt`` -- every table schema of ``../shared/sentinel/schemas/*.json`` and every
  stored-function description of ``../shared/sentinel/schemas/functions/*.json``, one per line,
  in the project's own compact format (documented at the top of the file).
* ``asim/empty_schemas.kql`` -- the ``_Im_<Schema>_Empty`` functions of the ASIM library: an
  empty ``datatable`` with every column of the normalized schema, which the unifying parsers
  union first so that their output has the full schema even when no source table exists.

Only column names and types are taken from the reference files (they are facts); no parser
text is copied.  The column lists of the empty schemas come from:

* Network and Web Session: the column declarations of Microsoft's empty-schema functions
  (``asim-parsers/.../vim*Empty.yaml``), in their order;
* the other schemas: the union, in this order, of the function-as-table schema file
  (``ASimDns.json``, ``ASimDhcpEvent.json``), the function descriptions
  (``functions/_Im_<Schema>.json``, ``functions/_ASim_<Schema>.json``), the native table
  (``ASim<Schema>Logs.json``, without workspace-internal columns) and the aliases our native
  parsers compute (``EXTRA`` below).  Where these sources disagree on a column's type, the
  native table's type wins (the function descriptions are older and contain typos).

Usage: ``python3 crates/kql-engine/library/generate.py [--shared ../shared]`` from the
repository root (the default ``--shared`` is ``<repo>/../shared``).
"""

import argparse
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent.parent

# Type spellings seen in Sentinel's schema files -> KQL type names (mirrors
# `KqlType::parse` in crates/kql-planner/src/types.rs).
TYPES = {
    "bool": "bool", "boolean": "bool",
    "int": "int", "int32": "int", "integer": "int", "sbyte": "int", "byte": "int",
    "int16": "int", "short": "int",
    "long": "long", "int64": "long", "bigint": "long",
    "real": "real", "double": "real", "float": "real",
    "decimal": "decimal",
    "datetime": "datetime", "date": "datetime", "date/time": "datetime", "timestamp": "datetime",
    "timespan": "timespan", "time": "timespan",
    "string": "string",
    "guid": "guid", "uniqueid": "guid",
    "dynamic": "dynamic", "object": "dynamic",
}


def kql_type(spelling):
    """The KQL type of a schema-file type spelling (missing -> string, like schema_file.rs)."""
    if spelling is None:
        return "string"
    t = spelling.strip().rstrip(",;").strip().lower()
    if t not in TYPES:
        raise ValueError(f"unknown type spelling {spelling!r}")
    return TYPES[t]


def lower_keys(v):
    return {k.lower(): x for k, x in v.items()} if isinstance(v, dict) else v


def load_json(path):
    return json.loads(path.read_text(encoding="utf-8-sig"))


def columns(items):
    """[(name, type)] of a Properties / FunctionResultColumns list; first occurrence wins."""
    out, seen = [], set()
    for item in items or []:
        item = lower_keys(item)
        name = item.get("name")
        if name is None or name in seen:
            continue
        seen.add(name)
        out.append((name, kql_type(item.get("type"))))
    return out


def ident(name):
    """A column or table name as written in schemas.txt / KQL (bracketed when needed)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']"


def read_tables(schemas):
    """Every table schema: (name, columns), sorted by name. A file whose declared name differs
    from its file name (a copy/paste bug in Sentinel's files) gives both names, as
    `read_schema_dir` does."""
    tables = {}
    for p in sorted(schemas.glob("*.json")):
        d = lower_keys(load_json(p))
        cols = columns(d.get("properties"))
        name = d.get("name")
        stem = p.stem
        if stem != name and re.fullmatch(r"[A-Za-z0-9_]+", stem):
            tables.setdefault(stem, cols)
        tables.setdefault(name, cols)
    return sorted(tables.items())


def read_functions(schemas):
    out = {}
    for p in sorted((schemas / "functions").glob("*.json")):
        d = lower_keys(load_json(p))
        params = [lower_keys(x).get("name") for x in d.get("functionparameters") or []]
        out[d["functionname"]] = ([x for x in params if x], columns(d.get("functionresultcolumns")))
    return sorted(out.items())


def empty_parser_columns(path):
    """The column declarations of an ASIM empty-schema function (`datatable(c:t, ...)[]`)."""
    text = path.read_text(encoding="utf-8")
    m = re.search(r"datatable\((.*?)\)\s*\[", text, re.S)
    if not m:
        raise ValueError(f"{path}: no datatable")
    cols = []
    for part in m.group(1).split(","):
        part = part.strip()
        if part:
            name, ty = part.split(":")
            cols.append((name.strip(), kql_type(ty)))
    return cols


# Columns of the workspace, not of the schema: never part of a normalized output.
INTERNAL = {"TenantId", "SourceSystem", "_SubscriptionId", "_ItemId", "_BilledSize",
            "_IsBillable", "MG", "ManagementGroupName", "Computer", "RawData"}

# Misspelled column names in the function descriptions (never produced by any parser).
TYPOS = {"EventCountw", "DvcScopeOd"}

# Per schema: (native table, function-as-table schema files, function descriptions).
SCHEMAS = {
    "Dns": ("ASimDnsActivityLogs", ["ASimDns"], ["_Im_Dns"]),
    "Authentication": ("ASimAuthenticationEventLogs", [], ["_Im_Authentication"]),
    "ProcessEvent": ("ASimProcessEventLogs", [], ["_Im_ProcessEvent", "_ASim_ProcessEvent"]),
    "FileEvent": ("ASimFileEventLogs", [], ["_Im_FileEvent", "_ASim_FileEvent"]),
    "RegistryEvent": ("ASimRegistryEventLogs", [], ["_Im_RegistryEvent", "_ASim_RegistryEvent"]),
    "AuditEvent": ("ASimAuditEventLogs", [], ["_Im_AuditEvent"]),
    "UserManagement": ("ASimUserManagementActivityLogs", [], ["_Im_UserManagement"]),
    "DhcpEvent": ("ASimDhcpEventLogs", ["ASimDhcpEvent"], ["_Im_DhcpEvent"]),
    "AlertEvent": ("ASimAlertEventLogs", [], []),
}

# Schemas whose native table definition has custom-log artifacts (threat columns typed as
# strings): the reference function schemas' types win and the native parser converts.
PREFER_REFERENCE_TYPES = {"Dns"}

# Columns every native parser outputs (the ASIM common fields), with their types.
COMMON_EXTRA = [("TimeGenerated", "datetime"), ("_ResourceId", "string"), ("Type", "string"),
                ("EventSchema", "string"), ("EventUid", "string")]

# Per schema: the aliases our native parser adds that no reference file lists.
EXTRA = {
    "Dns": [("Dvc", "string"), ("IpAddr", "string"), ("User", "string"), ("Hostname", "string"),
            ("Domain", "string"), ("SessionId", "string"), ("DnsResponseCodeName", "string"),
            ("DomainCategory", "string"), ("Duration", "int"), ("Process", "string")],
    "Authentication": [("Dvc", "string"), ("User", "string"), ("IpAddr", "string"),
                       ("Src", "string"), ("Dst", "string"), ("Application", "string"),
                       ("LogonTarget", "string"), ("Rule", "string")],
    "ProcessEvent": [("Dvc", "string"), ("User", "string"), ("Process", "string"),
                     ("CommandLine", "string")],
    "FileEvent": [("Dvc", "string"), ("User", "string"), ("Process", "string"),
                  ("CommandLine", "string"), ("FileName", "string"), ("FilePath", "string"),
                  ("IpAddr", "string"), ("Src", "string"), ("Url", "string"),
                  ("Application", "string"), ("Rule", "string")],
    "RegistryEvent": [("Dvc", "string"), ("User", "string"), ("Process", "string"),
                      ("Rule", "string")],
    "AuditEvent": [("Dvc", "string"), ("User", "string"), ("Application", "string"),
                   ("Value", "string"), ("Rule", "string"),
                   ("Src", "string"), ("Dst", "string"), ("IpAddr", "string")],
    "UserManagement": [("Dvc", "string"), ("User", "string"), ("IpAddr", "string"),
                       ("Src", "string"), ("UpdatedPropertyName", "string")],
    "DhcpEvent": [("Dvc", "string"), ("User", "string"), ("IpAddr", "string"),
                  ("Hostname", "string"), ("Src", "string"), ("Rule", "string"),
                  ("SessionId", "string"), ("Duration", "int")],
    "AlertEvent": [("Dvc", "string"), ("User", "string"), ("IpAddr", "string"),
                   ("Hostname", "string"), ("Rule", "string")],
}


def merged_empty(schema, tables, functions):
    """The ordered (name, type) columns of a normalized schema without an empty parser file."""
    native, as_tables, fns = SCHEMAS[schema]
    table_types = dict(tables[native])
    prefer_table = schema not in PREFER_REFERENCE_TYPES
    order, types = [], {}

    def add(cols):
        for n, t in cols:
            if n in INTERNAL or n in TYPOS:
                continue
            if n not in types:
                order.append(n)
                types[n] = table_types.get(n, t) if prefer_table else t

    add(COMMON_EXTRA)
    for t in as_tables:
        add(tables[t])
    for f in fns:
        add(functions[f][1])
    add(tables[native])
    add(EXTRA[schema])
    return [(n, types[n]) for n in order]


def empty_function(schema, cols, origin):
    lines = [f"// {schema}: {len(cols)} columns ({origin}).",
             f"let _Im_{schema}_Empty = () {{", "    datatable("]
    body = [f"        {ident(n)}:{t}" for n, t in cols]
    lines.append(",\n".join(body))
    lines.append("    )[]")
    lines.append("};")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=pathlib.Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    sentinel = args.shared / "sentinel"
    schemas = sentinel / "schemas"
    if not schemas.is_dir():
        sys.exit(f"{schemas} does not exist")

    tables = read_tables(schemas)
    functions = read_functions(schemas)

    out = [
        "# Built-in table schemas of the kql engine (Microsoft Sentinel / ASIM tables).",
        "# GENERATED by crates/kql-engine/library/generate.py from ../shared/sentinel/schemas",
        "# (column names and types only); do not edit by hand.",
        "#",
        "# Format: one entry per line; blank lines and lines starting with `#` are ignored.",
        "#   Table:            `Name: column:type, column:type, ...`",
        "#   Stored function:  `Name(param, param, ...): column:type, ...`  (a stub returning",
        "#                     an empty table of these columns; parameters accept any value)",
        "# Names that are not plain identifiers are written `['name']` (`\\'` and `\\\\` escape).",
        "# Types are KQL type names: bool int long real decimal datetime timespan string guid",
        "# dynamic.",
        "",
    ]
    for name, cols in tables:
        out.append(f"{ident(name)}: " + ", ".join(f"{ident(n)}:{t}" for n, t in cols))
    for name, (params, cols) in functions:
        ps = ", ".join(ident(p) for p in params)
        out.append(f"{ident(name)}({ps}): " + ", ".join(f"{ident(n)}:{t}" for n, t in cols))
    (HERE / "schemas.txt").write_text("\n".join(out) + "\n", encoding="utf-8")

    tmap = dict(tables)
    fmap = dict(functions)
    parsers = sentinel / "asim-parsers"
    kql = [
        "// The empty normalized schema of every ASIM schema the library supports.",
        "// GENERATED by crates/kql-engine/library/generate.py (column names and types of the",
        "// reference schemas in ../shared/sentinel); do not edit by hand.",
        "//",
        "// Each `_Im_<Schema>_Empty` returns no rows and every column of the normalized schema;",
        "// the unifying parsers (`_Im_<Schema>`, `_ASim_<Schema>`) union it first, so their",
        "// output always has the full schema, in this column order, even when no source exists.",
        "",
    ]
    for schema, rel in [("NetworkSession", "ASimNetworkSession/Parsers/vimNetworkSessionEmpty.yaml"),
                        ("WebSession", "ASimWebSession/Parsers/vimWebSessionEmpty.yaml")]:
        cols = empty_parser_columns(parsers / rel)
        kql.append(empty_function(schema, cols, "the declarations of the ASIM empty-schema function"))
        kql.append("")
    for schema in SCHEMAS:
        cols = merged_empty(schema, tmap, fmap)
        native, as_tables, fns = SCHEMAS[schema]
        srcs = ", ".join(as_tables + fns + [native])
        kql.append(empty_function(schema, cols, f"merged from {srcs} and the parser aliases"))
        kql.append("")
    (HERE / "asim" / "empty_schemas.kql").write_text("\n".join(kql), encoding="utf-8")
    print(f"wrote {len(tables)} tables, {len(functions)} functions, "
          f"{2 + len(SCHEMAS)} empty schemas")


if __name__ == "__main__":
    main()
