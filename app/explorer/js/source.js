// A finding's source passage, highlighted within its document's full text
// (GET /documents/{id}: `text[start:end]` is the passage), with the link to the source PDF.

import { api } from "./api.js";
import { formatDate, h, prettify } from "./dom.js";

const ASTRAL = /[\uD800-\uDFFF]/;

/** The document text cut at the finding's offsets. The API counts offsets in Unicode code
 * points (Python's str); JavaScript strings index UTF-16 units, which differ only when the
 * text has characters outside the Basic Multilingual Plane. */
export function splitAtPassage(text, start, end) {
  if (!ASTRAL.test(text)) {
    return [text.slice(0, start), text.slice(start, end), text.slice(end)];
  }
  const points = Array.from(text);
  return [
    points.slice(0, start).join(""),
    points.slice(start, end).join(""),
    points.slice(end).join(""),
  ];
}

function documentFacts(doc) {
  const facts = [prettify(doc.kind)];
  if (doc.published_date) facts.push(`published ${formatDate(doc.published_date)}`);
  else if (doc.letter_date) facts.push(`dated ${formatDate(doc.letter_date)}`);
  return facts.join(", ");
}

function pdfLink(doc) {
  if (!doc.source_url) {
    return h("p", { class: "source__pdf source__pdf--none" }, "No link to the published PDF is recorded for this document.");
  }
  const host = new URL(doc.source_url).host;
  return h(
    "p",
    { class: "source__pdf" },
    h("a", { href: doc.source_url, rel: "external noopener", class: "pdf-link" }, "Source PDF"),
    ` (on ${host})`,
  );
}

/** Fill `panel` with the passage of `finding` inside its document's text, and scroll the
 * text so the passage is in view. */
export async function showSource(panel, finding) {
  const { document_id: documentId, start, end } = finding.source;
  panel.replaceChildren(h("p", { class: "loading" }, "Loading the document…"));
  const doc = await api.document(documentId);
  const [before, passage, after] = splitAtPassage(doc.text, start, end);
  const mark = h("mark", { class: "passage", "data-start": start, "data-end": end }, passage);
  const textRegion = h(
    "div",
    {
      class: "document-text",
      role: "region",
      tabindex: "0",
      "aria-label": `Text of the document, with the passage highlighted`,
    },
    before,
    mark,
    after,
  );
  panel.replaceChildren(
    h(
      "p",
      { class: "source__title" },
      "From ",
      h("cite", {}, doc.title || doc.filename),
      ` (${documentFacts(doc)}). The passage is highlighted below, at characters ${start} to ${end}. `,
      h("a", { href: `/documents/${documentId}` }, "Document as JSON"),
    ),
    pdfLink(doc),
    textRegion,
  );
  // Put the passage a third of the way down the text region (positioned, so the mark's
  // offsetTop is within it), without scrolling the page.
  textRegion.scrollTop = Math.max(0, mark.offsetTop - textRegion.clientHeight / 3);
  return doc;
}
