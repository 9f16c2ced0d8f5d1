// Findings intelligence in the explorer: on a finding's page, the findings most like it in
// other authorities (GET /findings/{id}/similar) and whether an earlier inspection of the same
// authority raised it before (GET /authorities/{slug}/recurring); on an authority's page, its
// recurring issues with both passages. Each section loads after the page is shown.

import { ApiError, getJSON } from "./api.js";
import { formatDate, h, prettify } from "./dom.js";

const STATUS_LABELS = {
  "raised-again": "Raised again",
  "not-raised-before": "Not raised before",
  "raised-before-not-again": "Raised before, not again",
};

function failure(error) {
  return h("p", { class: "error", role: "alert" }, error instanceof ApiError ? error.message : "This could not be loaded.");
}

function passage(item, { similarity } = {}) {
  const facts = [`${prettify(item.kind)}, inspection of ${formatDate(item.start_date)}`];
  if (similarity !== undefined && similarity !== null) facts.push(`similarity ${similarity.toFixed(2)}`);
  return h(
    "blockquote",
    { class: "passage" },
    h("p", {}, item.text),
    h("footer", {}, facts.join(" · "), " · ", h("a", { href: `#/finding/${item.id}` }, "the finding")),
  );
}

/** Sections for one finding's page: similar findings elsewhere, and raised before. */
export function findingIntelligence(finding) {
  const similar = h(
    "section",
    { class: "panel", "aria-labelledby": "similar-heading", "aria-busy": "true" },
    h("h2", { id: "similar-heading" }, "Similar findings elsewhere"),
    h("p", {}, "Loading…"),
  );
  const before = h(
    "section",
    { class: "panel", "aria-labelledby": "before-heading", "aria-busy": "true" },
    h("h2", { id: "before-heading" }, "Raised before"),
    h("p", {}, "Loading…"),
  );
  getJSON(`/findings/${encodeURIComponent(finding.id)}/similar`, { limit: 20 })
    .then((body) => {
      const elsewhere = body.items.filter((item) => item.authority.slug !== finding.authority.slug).slice(0, 5);
      similar.replaceChildren(
        similar.firstChild,
        elsewhere.length
          ? h(
              "ol",
              { class: "similar" },
              elsewhere.map((item) =>
                h(
                  "li",
                  {},
                  h("p", {}, item.text),
                  h("p", { class: "finding__facts" }, h("a", { href: `#/finding/${item.id}` }, `${item.authority.name}, ${item.year}`), ` · ${prettify(item.kind)} · similarity ${item.similarity.toFixed(2)}`),
                ),
              ),
            )
          : h("p", {}, "No finding of another authority is close in meaning."),
      );
    })
    .catch((error) => similar.replaceChildren(similar.firstChild, failure(error)))
    .finally(() => similar.removeAttribute("aria-busy"));
  getJSON(`/authorities/${encodeURIComponent(finding.authority.slug)}/recurring`)
    .then((body) => {
      const entry = body.inspections.flatMap((block) => block.issues).find((issue) => issue.finding && issue.finding.id === finding.id);
      let content;
      if (!entry) content = h("p", {}, "This finding raises no issue (it is not a weakness, recommendation, or negative or mixed narrative finding).");
      else if (!entry.earlier.length) content = h("p", {}, `No earlier inspection of ${body.authority.name} raised this issue (similarity of at least ${body.threshold}).`);
      else content = [h("p", {}, `${body.authority.name}'s earlier inspections raised this issue:`), entry.earlier.map((item) => passage(item, { similarity: item.similarity }))];
      before.replaceChildren(before.firstChild, ...[content].flat(2));
    })
    .catch((error) => before.replaceChildren(before.firstChild, failure(error)))
    .finally(() => before.removeAttribute("aria-busy"));
  return [similar, before];
}

/** The recurring issues section of an authority's page. */
export function recurringSection(slug) {
  const section = h(
    "section",
    { class: "panel", "aria-labelledby": "recurring-heading", "aria-busy": "true" },
    h("h2", { id: "recurring-heading" }, "Recurring issues"),
    h("p", {}, "Loading…"),
  );
  getJSON(`/authorities/${encodeURIComponent(slug)}/recurring`)
    .then((body) => {
      const blocks = body.inspections.filter((block) => block.issues.length);
      if (!blocks.length) {
        section.replaceChildren(section.firstChild, h("p", {}, "No issues are loaded for this authority."));
        return;
      }
      section.replaceChildren(
        section.firstChild,
        h("p", {}, `Each inspection's issues (weaknesses, recommendations, negative or mixed findings) that an earlier inspection had raised: two findings raise the same issue when their similarity in meaning is at least ${body.threshold}.`),
        h("p", { class: "recurring__measured" }, `Read each link as possibly the same issue and check both passages: on ${body.measured.judged_pairs} pairs judged by a reader, ${Math.round(body.measured.precision * 100)}% of the links made were the same issue, and ${Math.round(body.measured.recall * 100)}% of the same issues were linked.`),
        ...blocks.map((block) => {
          const again = block.issues.filter((issue) => issue.status === "raised-again");
          const gone = block.issues.filter((issue) => issue.status === "raised-before-not-again");
          const counts = Object.entries(STATUS_LABELS).map(([status, label]) => `${label}: ${block.counts[status]}`).join(" · ");
          return h(
            "details",
            { class: "recurring" },
            h("summary", {}, `Inspection of ${formatDate(block.start_date)}: ${counts}`),
            again.length ? h("h3", {}, STATUS_LABELS["raised-again"]) : null,
            again.map((issue) => h("div", { class: "recurring__pair" }, passage(issue.finding), h("p", {}, "Raised before:"), issue.earlier.slice(0, 3).map((item) => passage(item, { similarity: item.similarity })))),
            gone.length ? h("h3", {}, STATUS_LABELS["raised-before-not-again"]) : null,
            gone.map((issue) => passage(issue.earlier[0])),
          );
        }),
      );
    })
    .catch((error) => section.replaceChildren(section.firstChild, failure(error)))
    .finally(() => section.removeAttribute("aria-busy"));
  return section;
}
