#!/usr/bin/env python3
"""Reference vectors for crates/embed: all-MiniLM-L6-v2 as sentence-transformers computes them.

Needs, in a throwaway virtual environment (not in the repository):
    pip install torch sentence-transformers

Writes, for crates/embed/tests/it/reference.rs:

  crates/embed/tests/data/sentences.tsv  one sentence per line, after the number
      of tokens the model sees (with [CLS] and [SEP], truncated at 256) and a tab;
      `#` lines are comments (the versions that made the vectors).
  crates/embed/tests/data/vectors.f16    the sentence-transformers embeddings,
      one row of 384 IEEE half floats (little-endian) per sentence, in order.

The sentences are generated here: a list written by the eventline developers,
news-like sentences assembled from templates with a fixed random seed, and
long paragraphs (more than 256 word pieces, so truncation is tested) joined
from them. They quote no article.

Usage: scripts/embed_reference.py [--model models/all-MiniLM-L6-v2] [--out crates/embed/tests/data]
"""

import argparse
import os
import random

import numpy as np

HANDWRITTEN = [
    "Fire.",
    "Markets fell.",
    "The talks collapsed on Tuesday.",
    "Voters go to the polls on Sunday in a closely watched election.",
    "The storm knocked out power to about 40,000 homes along the coast.",
    "A court in Nairobi postponed the hearing until next month.",
    "Shares of the carmaker rose 6.5% after it raised its profit forecast.",
    "The minister denied that the government had been warned in advance.",
    "Rescuers pulled two survivors from the rubble late on Friday night.",
    "The central bank left interest rates unchanged at 4.25 percent.",
    "Protesters blocked the main highway into the capital for a third day.",
    "Negotiators said a ceasefire could be signed within days, but gave no date.",
    "The airline cancelled 120 flights because of a strike by air traffic controllers.",
    "Officials said the fire had been contained, although smoke still hung over the valley.",
    "\"We will not accept these terms,\" the union's leader told reporters outside the ministry.",
    "The president's spokesman called the report \"completely false\" and said lawyers were reviewing it.",
    "Heavy rain caused flooding in at least 14 districts, the disaster agency said on Monday.",
    "The company agreed to pay $1.2 billion to settle claims that its software leaked customer data.",
    "Police arrested three men in connection with the robbery of a jewellery store in Lyon.",
    "The World Health Organization said the outbreak was under control but urged vigilance.",
    "Lawmakers passed the budget by 212 votes to 198 after a night of debate.",
    "A 5.8-magnitude earthquake struck off the coast, but no tsunami warning was issued.",
    "The mayor resigned on Wednesday, two weeks after an audit found irregularities in city contracts.",
    "Prices of wheat and maize climbed to their highest level since 2022 as drought hit harvests.",
    "The two leaders spoke by phone and agreed to meet again before the end of the year.",
    "UN peacekeepers withdrew from the town after clashes between rival militias.",
    "Engineers are still trying to find out why the bridge's cables failed.",
    "Inflation slowed to 2.9% in March, the statistics office said.",
    "The striking nurses returned to work after the hospital offered a 7 percent raise.",
    "Firefighters battled the blaze for eleven hours before bringing it under control.",
    "The rocket lifted off at 6:42 a.m. local time carrying four astronauts.",
    "Authorities evacuated 3,000 residents as the river rose above its banks.",
    "The opposition boycotted the vote, saying the count could not be trusted.",
    "The court ruled that the ban violated the constitution's guarantee of free speech.",
    "Exports to Asia fell for the fifth consecutive month.",
    "The ship ran aground near the harbour entrance; none of its 23 crew members were hurt.",
    "Doctors Without Borders said its clinic in the north had been looted.",
    "The foreign ministry summoned the ambassador to protest against the arrests.",
    "School will reopen on Monday after a week of closures caused by the heatwave.",
    "THE VERDICT IS EXPECTED TOMORROW, A COURT OFFICIAL SAID.",
    "the new stadium will hold 60,000 fans and open in august",
    "Zürich, São Paulo and Kraków were among the cities that bid for the games.",
    "Café owners in Montréal say the new rules will cost them thousands of dollars.",
    "The €450 million loan was approved — with conditions — by the bank's board.",
    "She said: “The situation is improving, slowly.”",
    "Temperatures reached 46°C in parts of the region, a record for May.",
    "The Ministry of Foreign Affairs (MFA) issued a statement at 10:30 GMT.",
    "Ahmed al-Rashid, 54, was sworn in as governor of the province.",
    "Mr. O'Neill's lawyers filed an appeal on Jan. 3.",
    "Tokyo (東京) hosted the summit, which ended without a joint declaration.",
    "The vote was 5–4.",
    "COVID-19 cases rose by 12% week-on-week, according to the health agency's dashboard.",
    "The so-called \"green corridor\" for grain shipments reopened after a two-month pause.",
    "After years of delays, the high-speed rail line between the two cities finally opened to passengers.",
    "Analysts said the merger, if approved by regulators, would create the country's largest telecommunications group by revenue.",
    "The refugees, most of them women and children, had walked for days through the mountains before reaching the border crossing.",
    "The government said it would raise the minimum wage by 10 percent from January, cut fuel taxes, and expand a program of food vouchers for low-income families.",
    "Witnesses said the gunmen arrived on motorcycles shortly after dawn, set fire to several houses and fled before soldiers arrived.",
    "In a statement released late on Thursday, the company said it had identified the cause of the outage and that all systems were now working normally.",
    "Neither side has commented publicly on the talks, which diplomats describe as the most serious attempt in a decade to end the dispute over the islands.",
]

SUBJECTS = [
    "The city council", "Officials in Lagos", "The central bank", "A spokeswoman for the ministry",
    "Rescue teams", "Shareholders", "The prime minister", "Local residents", "Police in Manila",
    "The European Commission", "Farmers in the region", "The union representing dock workers",
    "Doctors at the main hospital", "Investigators", "The foreign minister of Chile",
    "Opposition lawmakers", "The company's board", "Firefighters", "Scientists at the observatory",
    "The defence ministry", "Election monitors", "The navy", "A group of teachers",
    "The national football federation", "Environmental campaigners", "The state oil company",
    "Customs officers", "The mayor of Busan", "Hospital administrators", "The governor",
]
CLAUSES = [
    "prices would rise again next year", "the bridge had been unsafe for months",
    "talks would resume after the holiday", "the figures had been revised upward",
    "more than 200 people were still missing", "the plant would close by the end of the year",
    "the ban would be lifted in stages", "the vote had been free and fair",
    "the evacuation order remained in force", "no agreement had been reached",
    "the virus was spreading faster in rural areas", "the contract had been awarded without a tender",
    "the drought was the worst in forty years", "the suspect had left the country",
    "exports had fallen sharply since the border closed", "the new rules would apply from March",
]
ACTIONS = [
    "approved a plan to build {n} new schools", "rejected a proposal to raise fares",
    "suspended operations at two mines", "ordered an inquiry into the crash",
    "signed a deal worth {money}", "cut its growth forecast to {pct}",
    "arrested {n} people after the clashes", "delayed the launch until {month}",
    "evacuated {n} families from the flooded district", "seized {n} tonnes of smuggled fuel",
    "reopened the border crossing", "held emergency talks with the unions",
    "dismissed the head of the agency", "promised to rebuild the damaged homes",
    "lost its appeal at the supreme court", "raised its offer to {money}",
]
WHEN = [
    "on Monday", "on Tuesday", "late on Wednesday", "early on Thursday", "on Friday",
    "over the weekend", "last month", "this week", "on March 3", "in 2021", "two days ago",
    "after a long meeting", "for the second time this year", "earlier this month",
]
PLACES = [
    "in Nairobi", "in Warsaw", "in the capital", "near the border", "in the northern provinces",
    "in Jakarta", "at the port", "in Geneva", "in the coastal town", "in Buenos Aires",
    "in Manchester", "across the country", "in the disputed region", "in Ottawa",
]
REASONS = [
    "after weeks of protests", "citing safety concerns", "despite strong opposition",
    "to ease pressure on hospitals", "as the deadline approached", "amid a fall in demand",
    "following the collapse of talks", "because of a shortage of spare parts",
    "under pressure from investors", "in response to the attack",
]
MONTHS = ["January", "April", "June", "September", "November", "next spring", "the end of the year"]


def fill(rng, text):
    return text.format(
        n=rng.choice(["two", "five", "12", "48", "300", "1,200", "dozens of"]),
        money=rng.choice(["$3.4 billion", "€800 million", "£95 million", "4.5 billion rupees"]),
        pct=rng.choice(["1.8%", "2.5 percent", "0.9 per cent", "3%"]),
        month=rng.choice(MONTHS),
    )


def template_sentence(rng):
    shape = rng.randrange(5)
    s, w, p = rng.choice(SUBJECTS), rng.choice(WHEN), rng.choice(PLACES)
    if shape == 0:
        return f"{s} {fill(rng, rng.choice(ACTIONS))} {w}."
    if shape == 1:
        return f"{s} said {w} that {rng.choice(CLAUSES)}."
    if shape == 2:
        return f"{s} {p} {fill(rng, rng.choice(ACTIONS))} {rng.choice(REASONS)}."
    if shape == 3:
        return (f"{w[0].upper() + w[1:]}, {s[0].lower() + s[1:]} {fill(rng, rng.choice(ACTIONS))}, "
                f"and officials warned that {rng.choice(CLAUSES)}.")
    return (f"{s} {fill(rng, rng.choice(ACTIONS))} {p} {w} {rng.choice(REASONS)}, "
            f"while {rng.choice(SUBJECTS)[0].lower() + rng.choice(SUBJECTS)[1:]} said "
            f"{rng.choice(CLAUSES)}.")


def sentences():
    rng = random.Random(13)
    out = list(HANDWRITTEN)
    seen = set(out)
    while len(out) < 300:
        s = template_sentence(rng)
        if s not in seen:
            seen.add(s)
            out.append(s)
    # Long paragraphs: 12 to 30 sentences, 250 to 800 word pieces.
    for k in range(20):
        out.append(" ".join(template_sentence(rng) for _ in range(12 + k)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    ap.add_argument("--model", default=os.path.join(root, "models", "all-MiniLM-L6-v2"))
    ap.add_argument("--out", default=os.path.join(root, "crates", "embed", "tests", "data"))
    args = ap.parse_args()

    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    texts = sentences()
    model = SentenceTransformer(args.model, device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length
    vectors = model.encode(texts, batch_size=32, convert_to_numpy=True, normalize_embeddings=False)
    assert vectors.shape == (len(texts), 384), vectors.shape
    counts = [len(model.tokenizer(t, truncation=True, max_length=model.max_seq_length)["input_ids"])
              for t in texts]

    half = vectors.astype("<f2")
    back = half.astype(np.float32)
    cos = (back * vectors).sum(1) / (np.linalg.norm(back, axis=1) * np.linalg.norm(vectors, axis=1))

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "sentences.tsv"), "w", encoding="utf-8") as f:
        f.write("# made by scripts/embed_reference.py with sentence-transformers "
                f"{sentence_transformers.__version__}, torch {torch.__version__}, "
                "model models/all-MiniLM-L6-v2\n")
        f.write("# tokens<TAB>sentence; vectors in vectors.f16, one row of 384 per sentence\n")
        for n, t in zip(counts, texts):
            assert "\n" not in t and "\t" not in t
            f.write(f"{n}\t{t}\n")
    with open(os.path.join(args.out, "vectors.f16"), "wb") as f:
        f.write(half.tobytes())
    print(f"{len(texts)} sentences, {sum(counts)} tokens, {sum(c >= 256 for c in counts)} truncated; "
          f"f16 rounding: min cosine {cos.min():.8f}")


if __name__ == "__main__":
    main()
