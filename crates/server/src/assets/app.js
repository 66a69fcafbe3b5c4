// eventline web UI: one page, drawn from /api/ by location.pathname.
// No dependencies; every piece of data goes into the DOM as text, never as HTML.
"use strict";

const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "OTHER"];
const STATUSES = ["occurred", "planned", "ongoing", "claimed"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December"];
const FILTERS = ["q", "actor", "entity", "place", "outlet", "type", "status", "from", "to"];
const PAGE = 100;

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

async function api(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

/** "2024-12-01" -> "1 December 2024"; "2024-12" -> "December 2024". */
function dateWords(d) {
  if (!d) return "Undated";
  const [y, m, day] = d.split("-");
  if (day) return `${Number(day)} ${MONTHS[Number(m) - 1]} ${y}`;
  if (m) return `${MONTHS[Number(m) - 1]} ${y}`;
  return y;
}

function eventDate(e) {
  let s = dateWords(e.date);
  if (e.date_end && e.date_end !== e.date) s += ` to ${dateWords(e.date_end)}`;
  if (e.date_source === "article") s += " (reported; the articles do not say when)";
  return s;
}

const entityLink = (id, name) => h("a", { href: `/entity/${encodeURIComponent(id)}` }, name || id);
const docLabel = (d, id) => (d && d.label) || id;

function outletsOf(e, docs) {
  const seen = [];
  for (const s of e.sources) {
    const l = docLabel(docs[s.doc], s.doc);
    if (!seen.includes(l)) seen.push(l);
  }
  return seen;
}

function segmentsNode(segs) {
  return segs.map((s) => {
    if (!s.kind) return document.createTextNode(s.text);
    const m = h("mark", { class: s.kind, title: [s.kind, s.note].filter(Boolean).join(": ") }, s.text);
    if (s.kind === "trigger" && s.id) return h("a", { href: `/event/${encodeURIComponent(s.id)}` }, m);
    if (s.kind !== "trigger" && s.kind !== "time" && s.id) {
      return h("a", { href: `/entity/${encodeURIComponent(s.id)}` }, m);
    }
    return m;
  });
}

function setMain(...nodes) {
  const main = document.getElementById("main");
  main.replaceChildren(...nodes);
}

// ------------------------------------------------------------ timeline view

function filterParams() {
  const u = new URLSearchParams(location.search);
  const p = new URLSearchParams();
  for (const k of FILTERS.concat(["offset"])) if (u.get(k)) p.set(k, u.get(k));
  return p;
}

function go(params) {
  const qs = params.toString();
  history.pushState(null, "", qs ? `/?${qs}` : "/");
  route();
}

async function timelineView() {
  const p = filterParams();
  const offset = Number(p.get("offset") || 0);
  const q = new URLSearchParams(p);
  q.set("limit", PAGE);
  const [outlets, page] = await Promise.all([api("/api/outlets"), api(`/api/events?${q}`)]);
  const names = {};
  const named = async (id) => {
    if (!(id in names)) {
      try { names[id] = (await api(`/api/entities/${encodeURIComponent(id)}`)).name; } catch { names[id] = id; }
    }
    return names[id];
  };

  const form = h("form", { class: "filters", id: "filters", onsubmit: (ev) => {
    ev.preventDefault();
    const next = new URLSearchParams();
    for (const k of FILTERS) {
      const el = form.elements[k];
      const v = el ? el.value.trim() : p.get(k);
      if (v) next.set(k, v);
    }
    go(next);
  } },
    h("label", {}, "Search", h("input", { type: "search", name: "q", value: p.get("q") || "", placeholder: "words in headlines and sources" })),
    h("label", {}, "Outlet", h("select", { name: "outlet" }, h("option", { value: "" }, "any"),
      outlets.outlets.map((o) => h("option", { value: o.outlet, selected: o.outlet === p.get("outlet") }, `${o.outlet} (${o.documents})`)))),
    h("label", {}, "Type", h("select", { name: "type" }, h("option", { value: "" }, "any"),
      TYPES.map((t) => h("option", { value: t, selected: t === p.get("type") }, t)))),
    h("label", {}, "Status", h("select", { name: "status" }, h("option", { value: "" }, "any"),
      STATUSES.map((t) => h("option", { value: t, selected: t === p.get("status") }, t)))),
    h("label", {}, "From", h("input", { type: "date", name: "from", value: p.get("from") || "" })),
    h("label", {}, "To", h("input", { type: "date", name: "to", value: p.get("to") || "" })),
    h("button", { type: "submit" }, "Apply"),
    h("button", { type: "button", class: "plain", onclick: () => go(new URLSearchParams()) }, "Clear"));

  const chips = h("div", { class: "chips" });
  for (const k of ["actor", "entity", "place"]) {
    const id = p.get(k);
    if (!id) continue;
    const drop = new URLSearchParams(p); drop.delete(k); drop.delete("offset");
    chips.append(h("span", { class: "chip" }, `${k}: `, entityLink(id, await named(id)),
      h("a", { href: `/?${drop}`, title: "remove this filter", onclick: (ev) => { ev.preventDefault(); go(drop); } }, "×")));
  }

  const withFilter = (k, id) => {
    const n = new URLSearchParams(p); n.set(k, id); n.delete("offset");
    return h("a", { href: `/?${n}`, class: "filter-link", title: `show only events with this ${k}`,
      onclick: (ev) => { ev.preventDefault(); go(n); } }, page.entities[id] ? page.entities[id].name : id);
  };

  const list = h("div", { id: "events" });
  let day = null, box = null;
  for (const e of page.events) {
    const key = eventDate(e);
    if (key !== day) {
      day = key;
      box = h("section", { class: "day" }, h("h2", {}, key));
      list.append(box);
    }
    const outs = outletsOf(e, page.documents);
    const who = e.actors.concat(e.recipients);
    box.append(h("div", { class: "event-row", "data-id": e.id },
      h("a", { class: "headline", href: `/event/${encodeURIComponent(e.id)}` }, e.headline),
      h("span", {}, h("span", { class: "badge type" }, e.type), e.mode ? h("span", { class: "badge" }, e.mode) : null,
        h("span", { class: `badge status-${e.status}` }, e.status)),
      h("div", { class: "meta" },
        `${outs.length} outlet${outs.length === 1 ? "" : "s"}: ${outs.join(", ")}`,
        who.length ? [" · ", who.map((id, i) => [i ? ", " : "", withFilter("actor", id)])] : null,
        e.place ? [" · in ", withFilter("place", e.place)] : null)));
  }

  const shown = page.events.length;
  const pager = h("div", { class: "pager" });
  const step = (to) => { const n = new URLSearchParams(p); if (to) n.set("offset", to); else n.delete("offset"); return n; };
  if (offset > 0) pager.append(h("a", { href: `/?${step(Math.max(0, offset - PAGE))}`, onclick: (ev) => { ev.preventDefault(); go(step(Math.max(0, offset - PAGE))); } }, "← earlier page"));
  if (offset + shown < page.total) pager.append(h("a", { href: `/?${step(offset + PAGE)}`, onclick: (ev) => { ev.preventDefault(); go(step(offset + PAGE)); } }, "next page →"));

  setMain(h("h1", {}, "Timeline"), form, chips,
    h("p", { class: "summary", id: "summary" }, page.total === 0 ? "No event matches."
      : `${page.total} event${page.total === 1 ? "" : "s"}; showing ${offset + 1}–${offset + shown}.`),
    list, pager);
}

// ------------------------------------------------------------ event page

async function eventView(id) {
  const e = await api(`/api/events/${encodeURIComponent(id)}`);
  document.title = `${e.headline} · eventline`;
  const ents = Object.fromEntries(e.entities.map((x) => [x.id, x]));
  const docs = Object.fromEntries(e.documents.map((d) => [d.id, d]));
  const people = (ids) => ids.map((x, i) => [i ? ", " : "", entityLink(x, ents[x] && ents[x].name)]);
  const facts = h("p", {},
    h("span", { class: "badge type" }, e.type), e.mode ? h("span", { class: "badge" }, e.mode) : null,
    h("span", { class: `badge status-${e.status}` }, e.status), " ", eventDate(e),
    e.actors.length ? [" · actors: ", people(e.actors)] : null,
    e.recipients.length ? [" · acted upon: ", people(e.recipients)] : null,
    e.place ? [" · in ", entityLink(e.place, ents[e.place] && ents[e.place].name)] : null);
  const cards = e.sources.map((s, i) => {
    const d = docs[s.doc] || {};
    return h("article", { class: "source" },
      h("div", { class: "outlet" }, docLabel(d, s.doc)),
      d.title ? h("div", { class: "title" }, d.title) : null,
      h("div", { class: "muted" }, dateWords(d.date)),
      h("blockquote", {}, segmentsNode(e.highlights[i] || [{ text: s.sentence }])),
      h("div", {}, d.url ? [h("a", { href: d.url, rel: "noopener noreferrer", target: "_blank" }, "original article"), " · "] : null,
        h("a", { href: `/document/${encodeURIComponent(s.doc)}` }, "full text with marks")));
  });
  const outs = [...new Set(e.sources.map((s) => docLabel(docs[s.doc], s.doc)))];
  setMain(h("p", {}, h("a", { href: "/" }, "← timeline")),
    h("h1", {}, e.headline), facts,
    h("h2", {}, `Told by ${outs.length} outlet${outs.length === 1 ? "" : "s"}`),
    h("p", { class: "legend muted" }, h("mark", { class: "trigger" }, "event words"), h("mark", { class: "actor" }, "participants"),
      h("mark", { class: "place" }, "place"), h("mark", { class: "time" }, "time words"), h("mark", { class: "entity" }, "other names")),
    h("div", { class: "sources" }, cards),
    e.stories.length ? [h("h2", {}, "Framing"), h("p", {}, "How the outlets describe the actors of this story: ",
      e.stories.map((s, i) => [i ? ", " : "", h("a", { href: `/story/${encodeURIComponent(s)}` }, `story ${i + 1}`)]))] : null);
}

// ------------------------------------------------------------ entity page

function mapNode(geo) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "-180 -90 360 180");
  svg.setAttribute("class", "map");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `map: ${geo.lat.toFixed(2)}, ${geo.lon.toFixed(2)}`);
  let grid = "";
  for (let x = -150; x <= 150; x += 30) grid += `M${x} -90V90`;
  for (let y = -60; y <= 60; y += 30) grid += `M-180 ${y}H180`;
  const g = document.createElementNS(ns, "path"); g.setAttribute("class", "grid"); g.setAttribute("d", grid); svg.append(g);
  if (window.WORLD_LAND) {
    const land = document.createElementNS(ns, "path"); land.setAttribute("class", "land"); land.setAttribute("d", window.WORLD_LAND); svg.append(land);
  }
  const c = document.createElementNS(ns, "circle");
  c.setAttribute("cx", geo.lon); c.setAttribute("cy", -geo.lat); c.setAttribute("r", 2.5);
  svg.append(c);
  return svg;
}

async function entityView(id) {
  const [en, evs] = await Promise.all([api(`/api/entities/${encodeURIComponent(id)}`),
    api(`/api/events?entity=${encodeURIComponent(id)}&limit=1000`)]);
  document.title = `${en.name} · eventline`;
  const outlets = [...new Set(en.aliases_by_outlet.map((a) => a.outlet || "unknown outlet"))];
  const forms = [...new Set(en.aliases_by_outlet.map((a) => a.alias))];
  const count = (a, o) => en.aliases_by_outlet.filter((x) => x.alias === a && (x.outlet || "unknown outlet") === o)
    .reduce((n, x) => n + x.count, 0);
  const table = h("table", { class: "aliases" },
    h("tr", {}, h("th", {}, "name as written"), outlets.map((o) => h("th", {}, o))),
    forms.map((a) => h("tr", {}, h("td", {}, a), outlets.map((o) => h("td", {}, count(a, o) || "")))));
  const list = h("ul", { id: "entity-events" }, evs.events.map((e) => h("li", {},
    h("span", { class: "muted" }, `${eventDate(e)}: `),
    h("a", { href: `/event/${encodeURIComponent(e.id)}` }, e.headline), " ",
    h("span", { class: "badge type" }, e.type),
    h("span", { class: "muted" }, ` ${outletsOf(e, evs.documents).join(", ")}`))));
  setMain(h("p", {}, h("a", { href: "/" }, "← timeline")),
    h("h1", {}, en.name), h("p", {}, h("span", { class: "badge" }, en.type), ` mentioned ${en.mentions} times`,
      en.geo ? ` · ${en.geo.lat.toFixed(3)}, ${en.geo.lon.toFixed(3)} (${en.geo.country})` : ""),
    en.geo ? mapNode(en.geo) : null,
    h("h2", {}, "Names, per outlet"), forms.length ? table : h("p", { class: "muted" }, "No mentions stored."),
    h("h2", {}, `Events (${evs.total})`),
    h("p", {}, h("a", { href: `/?entity=${encodeURIComponent(id)}` }, "show on the timeline with filters")),
    list);
}

// ------------------------------------------------------------ document page

async function documentView(id) {
  const d = await api(`/api/documents/${encodeURIComponent(id)}`);
  document.title = `${d.title || d.label} · eventline`;
  setMain(h("p", {}, h("a", { href: "/" }, "← timeline")),
    h("h1", {}, d.title || d.label),
    h("p", {}, h("strong", {}, d.outlet || d.label), ` · ${dateWords(d.date)}`,
      d.url ? [" · ", h("a", { href: d.url, rel: "noopener noreferrer", target: "_blank" }, "original article")] : null,
      d.duplicate_of ? [" · reprints ", h("a", { href: `/document/${encodeURIComponent(d.duplicate_of)}` }, "an earlier article")] : null),
    h("p", { class: "legend muted" }, h("mark", { class: "trigger" }, "event words"), h("mark", { class: "entity" }, "names"),
      h("mark", { class: "time" }, "time words")),
    h("div", { class: "doctext" }, segmentsNode(d.segments)),
    h("h2", {}, "Events it tells"),
    h("ul", {}, d.events.map((e) => h("li", {}, h("span", { class: "muted" }, `${dateWords(e.date)}: `),
      h("a", { href: `/event/${encodeURIComponent(e.id)}` }, e.headline)))),
    d.stories.length ? h("p", {}, "Framing: ", d.stories.map((s, i) => [i ? ", " : "", h("a", { href: `/story/${encodeURIComponent(s)}` }, `story ${s}`)])) : null);
}

// ------------------------------------------------------------ framing

async function storiesView() {
  const s = await api("/api/stories");
  setMain(h("h1", {}, "Framing: who says what"),
    h("p", { class: "muted" }, "Stories told by two or more outlets, with the words each outlet uses for the actors."),
    s.stories.length ? h("ul", {}, s.stories.map((x) => h("li", {},
      h("a", { href: `/story/${encodeURIComponent(x.id)}` }, x.outlets.join(", ")),
      h("span", { class: "muted" }, ` · ${x.documents} articles, ${x.labels} labels`)))) : h("p", {}, "No story is told by two outlets."));
}

async function storyView(id) {
  const s = await api(`/api/stories/${encodeURIComponent(id)}`);
  const outlets = [...new Set(s.documents.map((d) => d.outlet))];
  const cats = [...new Set(s.labels.map((l) => l.category))];
  const cell = (cat, o) => {
    const uses = s.labels.filter((l) => l.category === cat && l.outlet === o);
    const by = new Map();
    for (const l of uses) {
      const k = l.label;
      if (!by.has(k)) by.set(k, { label: k, loaded: l.loaded, n: 0, quoted: 0, who: new Set() });
      const v = by.get(k); v.n++; if (l.quoted) v.quoted++; if (l.entity_name) v.who.add(l.entity_name);
    }
    return h("td", {}, [...by.values()].sort((a, b) => b.n - a.n).map((v) => h("div", {},
      h("span", { class: v.loaded ? "label loaded" : "label" }, v.label),
      v.n > 1 ? ` ×${v.n}` : "", v.quoted ? (v.quoted === v.n ? " (quoted)" : ` (${v.quoted} quoted)`) : "",
      v.who.size ? h("span", { class: "muted" }, ` for ${[...v.who].join(", ")}`) : "")));
  };
  setMain(h("p", {}, h("a", { href: "/stories" }, "← framing")),
    h("h1", {}, `Who says what: ${outlets.join(", ")}`),
    h("p", {}, "Articles: ", s.documents.map((d, i) => [i ? "; " : "",
      h("a", { href: `/document/${encodeURIComponent(d.id)}` }, `${d.outlet}${d.title ? `, “${d.title}”` : ""}`),
      d.url ? [" (", h("a", { href: d.url, rel: "noopener noreferrer", target: "_blank" }, "original"), ")"] : null])),
    h("table", { class: "framing" }, h("tr", {}, h("th", {}, "actors"), outlets.map((o) => h("th", {}, o))),
      cats.map((c) => h("tr", {}, h("th", {}, c), outlets.map((o) => cell(c, o))))),
    h("p", { class: "muted" }, "Red: loaded words. Quoted: inside quotation marks, someone else's words reported."),
    h("h2", {}, "Events in these articles"),
    h("ul", {}, s.events.map((e) => h("li", {}, h("span", { class: "muted" }, `${dateWords(e.date)}: `),
      h("a", { href: `/event/${encodeURIComponent(e.id)}` }, e.headline)))));
}

// ------------------------------------------------------------ routing

async function route() {
  const parts = location.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  document.body.dataset.ready = "0";
  try {
    if (parts.length === 0) await timelineView();
    else if (parts[0] === "event" && parts[1]) await eventView(parts[1]);
    else if (parts[0] === "entity" && parts[1]) await entityView(parts[1]);
    else if (parts[0] === "document" && parts[1]) await documentView(parts[1]);
    else if (parts[0] === "story" && parts[1]) await storyView(parts[1]);
    else if (parts[0] === "stories") await storiesView();
    else setMain(h("p", { class: "error" }, "No such page."));
    document.body.dataset.ready = "1";
  } catch (err) {
    setMain(h("p", { class: "error" }, `Could not load this page: ${err.message}`));
    document.body.dataset.ready = "error";
  }
}

window.addEventListener("popstate", route);
window.addEventListener("DOMContentLoaded", () => {
  route();
  api("/api/stats").then((s) => {
    document.getElementById("stats").textContent =
      `${s.events} events · ${s.entities} entities · ${s.documents} articles · ${s.outlets} outlets`;
  }).catch(() => {});
});
