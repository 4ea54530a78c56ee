#!/usr/bin/env python3
"""Checks the targets' dependency boundaries (issue 13, ../shared/design.md) from
`swift package describe --type json` on standard input: the core and WorkbenchUI reach no
network, database or process library; providers and the store never reach each other."""
import json
import sys

FORBIDDEN = {
    "RerankCore": {"GRDB", "CSQLiteSetup", "AsyncHTTPClient", "NIOCore", "NIOHTTP1", "NIOPosix", "Subprocess", "RerankStore", "RerankProviders", "RerankProcess", "ArgumentParser"},
    "WorkbenchUI": {"GRDB", "CSQLiteSetup", "AsyncHTTPClient", "NIOCore", "NIOHTTP1", "NIOPosix", "Subprocess", "RerankStore", "RerankProviders", "RerankProcess", "RerankKit", "ArgumentParser", "CNCursesW"},
    "RerankStore": {"AsyncHTTPClient", "NIOCore", "NIOHTTP1", "Subprocess", "RerankProviders", "RerankProcess"},
    "RerankProviders": {"GRDB", "CSQLiteSetup", "RerankStore"},
}

targets = {t["name"]: t for t in json.load(sys.stdin)["targets"]}


def reach(name, seen=None):
    seen = set() if seen is None else seen
    for dep in targets[name].get("target_dependencies", []):
        if dep not in seen:
            seen.add(dep)
            reach(dep, seen)
    return seen


failed = False
for name, forbidden in FORBIDDEN.items():
    closure = reach(name)
    products = {p for t in closure | {name} for p in targets[t].get("product_dependencies", [])}
    bad = sorted((closure | products) & forbidden)
    if bad:
        failed = True
        print(f"{name} reaches {', '.join(bad)}: it must not (see the Layout section of README.md)", file=sys.stderr)
    else:
        print(f"{name}: depends on {', '.join(sorted(closure | products)) or 'nothing'}")
sys.exit(1 if failed else 0)
