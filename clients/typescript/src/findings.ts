// A small program against the Ofsted findings API, typed by the client that
// openapi-typescript generates from the committed openapi.json (src/schema.d.ts):
//
//   npm ci && npm run generate && npm run check && npm run build
//   node dist/findings.js http://127.0.0.1:8000
//
// It reads the 2013 Cheshire East recommendations to be done immediately (two per page,
// following `next`), checks each against its source passage in the document text, prints
// its themes with their scores, counts the kinds of finding with the facets endpoint, and
// prints the authority's overall effectiveness grades over time. Every parameter, path and field below is checked by tsc
// against the API's contract.

import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Finding = components["schemas"]["FindingOut"];
type DocumentOut = components["schemas"]["DocumentOut"];
type Timeframe = components["schemas"]["Timeframe"];

const baseUrl = process.argv[2] ?? "http://127.0.0.1:8000";
// Every list answers as JSON or CSV: ask the types (and the server) for JSON.
const client = createClient<paths, "application/json">({ baseUrl, headers: { Accept: "application/json" } });

function failed(what: string, error: { message: string } | undefined): never {
  throw new Error(`${what}: ${error?.message ?? "no body"}`);
}

/** Every recommendation of an authority, year and timeframe, page by page. */
async function recommendations(authority: string, year: number, timeframe: Timeframe): Promise<Finding[]> {
  const found: Finding[] = [];
  let cursor: string | undefined;
  do {
    const { data, error } = await client.GET("/findings", {
      params: { query: { authority: [authority], year: [year], timeframe: [timeframe], kind: ["recommendation"], limit: 2, cursor } },
    });
    if (!data) failed("GET /findings", error);
    found.push(...data.items);
    cursor = data.next ? (new URL(data.next, baseUrl).searchParams.get("cursor") ?? undefined) : undefined;
  } while (cursor);
  return found;
}

const documents = new Map<number, DocumentOut>();

/** The finding's passage in its document: `text[start:end]`, offsets in code points. */
async function passage(finding: Finding): Promise<string> {
  const { document_id, start, end } = finding.source;
  let document = documents.get(document_id);
  if (!document) {
    const { data, error } = await client.GET("/documents/{document_id}", { params: { path: { document_id } } });
    if (!data) failed(`GET /documents/${document_id}`, error);
    document = data;
    documents.set(document_id, document);
  }
  return Array.from(document.text).slice(start, end).join("");
}

const immediate = await recommendations("cheshire-east", 2013, "immediately");
console.log(`recommendations: ${immediate.length}`);
for (const finding of immediate) {
  const same = (await passage(finding)) === finding.text;
  console.log(`${finding.id} ${finding.timeframe} ${same ? "in its source passage" : "NOT in its source passage"}: ${finding.text.slice(0, 40)}`);
  // Each theme with the model's calibrated probability and the words that weighed most.
  const themes = finding.themes.map((theme) => `${theme.id} ${theme.score?.toFixed(2) ?? "-"} (${theme.matched.join(", ")})`);
  console.log(`  themes: ${themes.join("; ")}`);
}

const facets = await client.GET("/findings/facets", {
  params: { query: { authority: ["cheshire-east"], year: [2013], by: ["kind"] } },
});
if (!facets.data) failed("GET /findings/facets", facets.error);
const kinds = facets.data.facets["kind"] ?? [];
console.log(`kinds: ${kinds.map((entry) => `${entry.value}=${entry.count}`).join(" ")}`);

const timeline = await client.GET("/authorities/{key}/timeline", { params: { path: { key: "cheshire-east" } } });
if (!timeline.data) failed("GET /authorities/cheshire-east/timeline", timeline.error);
const overall = timeline.data.items.flatMap((event) =>
  (event.event === "inspection" ? (event.judgements ?? []) : event.judgement ? [event.judgement] : [])
    .filter((judgement) => judgement.area === "overall-effectiveness")
    .map((judgement) => `${event.date}:${judgement.score}`),
);
console.log(`overall effectiveness: ${overall.join(" ")}`);
