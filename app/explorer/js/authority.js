// An authority's page (GET /authorities/{slug}, .../timeline, .../neighbours) and the list
// of authorities (GET /authorities, every page).

import { api } from "./api.js";
import { formatDate, formatNumber, h } from "./dom.js";
import { gradeTimelineChart, themeProfileChart } from "./charts.js";
import { recurringSection } from "./intelligence.js";

/** "Download CSV" of what a section shows, from the API's own CSV. */
function csvLink(href, filename, id, what) {
  return h("p", { class: "download" }, h("a", { href, download: filename, id, class: "button button--secondary" }, "Download CSV"), " ", what);
}

function latestOverall(peer) {
  const judgement = peer.latest_judgements.find((item) => item.area === "overall-effectiveness");
  if (!judgement) return "None loaded";
  const when = judgement.month ? formatDate(`${judgement.year}-${String(judgement.month).padStart(2, "0")}`) : String(judgement.year);
  return `${judgement.grade_label} (${judgement.score}), ${when}${judgement.cited ? ", cited" : ""}`;
}

function neighboursTable(neighbours) {
  return h(
    "table",
    { class: "data-table", id: "neighbours-table" },
    h("caption", {}, `${neighbours.authority.name}'s statistical neighbours, closest first, with what is loaded about each`),
    h("thead", {}, h("tr", {}, ["Rank", "Authority", "Region", "Inspections", "Findings", "Latest overall effectiveness"].map((text) => h("th", { scope: "col" }, text)))),
    h(
      "tbody",
      {},
      [neighbours.authority, ...neighbours.neighbours].map((peer) =>
        h(
          "tr",
          { "data-slug": peer.slug, class: peer.rank === 0 ? "is-subject" : null },
          h("td", {}, peer.rank === 0 ? "This authority" : String(peer.rank)),
          h("th", { scope: "row" }, peer.rank === 0 ? peer.name : h("a", { href: `#/authority/${encodeURIComponent(peer.slug)}` }, peer.name)),
          h("td", {}, peer.region),
          h("td", {}, String(peer.inspections)),
          h("td", {}, peer.findings ? h("a", { href: `#/?authority=${encodeURIComponent(peer.slug)}`, "aria-label": `${peer.findings} findings of ${peer.name}` }, formatNumber(peer.findings)) : "0"),
          h("td", {}, latestOverall(peer)),
        ),
      ),
    ),
  );
}

function inspectionsList(timeline) {
  const inspections = timeline.items.filter((item) => item.event === "inspection");
  return h(
    "ol",
    { class: "inspection-list" },
    inspections.map((item) =>
      h(
        "li",
        {},
        h("p", {}, h("strong", {}, formatDate(item.start_date)), `: ${item.type_label}. `, h("a", { href: `#/?authority=${encodeURIComponent(timeline.authority.slug)}&year_from=${item.start_date.slice(0, 4)}&year_to=${item.start_date.slice(0, 4)}` }, `${item.findings.total} findings`)),
        item.documents.length
          ? h(
              "ul",
              { class: "document-list" },
              item.documents.map((doc) =>
                h("li", {}, doc.title || doc.filename, doc.source_url ? [" (", h("a", { href: doc.source_url, rel: "external noopener" }, "PDF"), ")"] : null),
              ),
            )
          : null,
      ),
    ),
  );
}

export async function renderAuthority(main, key) {
  const [authority, timeline, neighbours, grades, themes, areaLabels] = await Promise.all([
    api.authority(key),
    api.timeline(key),
    api.neighbours(key),
    api.grades(),
    api.themes(),
    api.areaLabels(),
  ]);
  const themeLabels = new Map(themes.map((theme) => [theme.id, theme.label]));
  const findings = neighbours.authority.findings;
  const parts = [
    h("p", { class: "breadcrumb" }, h("a", { href: "#/authorities" }, "Authorities"), " › ", authority.name),
    h("h1", { tabindex: "-1" }, authority.name),
    h(
      "p",
      { class: "lede" },
      `${authority.region}. ONS code ${authority.ons_code}. ${authority.inspections} ${authority.inspections === 1 ? "inspection" : "inspections"} loaded. `,
      findings ? h("a", { href: `#/?authority=${encodeURIComponent(authority.slug)}` }, `Read its ${formatNumber(findings)} findings`) : "No findings loaded.",
    ),
  ];
  const timelineSection = h("section", { "aria-labelledby": "timeline-heading", class: "panel" }, h("h2", { id: "timeline-heading" }, "Grades over time"));
  if (timeline.items.length) {
    const chart = gradeTimelineChart(timeline, { grades, areaLabels });
    timelineSection.append(
      h("p", {}, "Every graded judgement on one scale across inspection frameworks: 1 outstanding, 2 good, 3 requires improvement (“adequate” in older reports), 4 inadequate. A grade a later report cites is shown once: as the inspection's own grade when that inspection is loaded, marked “cited” when it is known only from the citation."),
      h("div", { class: "table-scroll" }, chart.grid),
      csvLink(`/authorities/${encodeURIComponent(authority.slug)}/timeline?format=csv`, `${authority.slug}-timeline.csv`, "timeline-csv", "of every inspection, visit and grade, with the grades later reports cite (the API's timeline)."),
      h("figure", { class: "chart-figure" }, chart.svg, h("figcaption", {}, "One lane per judgement area; within a lane, lower is worse. ", chart.legend)),
      h("details", {}, h("summary", {}, "The grades as a table"), chart.table),
      h("h3", {}, "Inspections and visits"),
      inspectionsList(timeline),
    );
  } else {
    timelineSection.append(h("p", {}, `No inspections of ${authority.name} are loaded.`));
  }
  const themesSection = h("section", { "aria-labelledby": "themes-heading", class: "panel" }, h("h2", { id: "themes-heading" }, "Themes beside its statistical neighbours"));
  if (findings) {
    const profile = themeProfileChart(neighbours, themeLabels);
    themesSection.append(
      h(
        "p",
        {},
        "The share of each authority's findings that carry each theme. ",
        profile.peers.length
          ? `Of its ${neighbours.neighbours.length} statistical neighbours, ${profile.peers.length} ${profile.peers.length === 1 ? "has" : "have"} findings loaded; their findings are pooled.`
          : `None of its ${neighbours.neighbours.length} statistical neighbours has findings loaded.`,
      ),
      h("figure", { class: "chart-figure" }, profile.svg, h("figcaption", {}, profile.legend)),
      h("details", {}, h("summary", {}, "The theme counts as a table"), profile.table),
      csvLink(`/authorities/${encodeURIComponent(authority.slug)}/neighbours?format=csv`, `${authority.slug}-neighbours.csv`, "themes-csv", "of the theme counts and latest grades of the authority and its neighbours."),
    );
  } else {
    themesSection.append(h("p", {}, `No findings of ${authority.name} are loaded, so it has no theme profile.`));
  }
  const neighboursSection = h(
    "section",
    { "aria-labelledby": "neighbours-heading", class: "panel" },
    h("h2", { id: "neighbours-heading" }, "Statistical neighbours"),
    h("p", {}, "The ten authorities most similar to it, from the register, closest first."),
    h("div", { class: "table-scroll" }, neighboursTable(neighbours)),
    csvLink(`/authorities/${encodeURIComponent(authority.slug)}/neighbours?format=csv`, `${authority.slug}-neighbours.csv`, "neighbours-csv", "of this table, with every latest grade and theme count."),
  );
  main.replaceChildren(...parts, timelineSection, themesSection, neighboursSection, recurringSection(authority.slug));
  document.title = `${authority.name}: Ofsted findings explorer`;
}

export async function renderAuthorities(main) {
  const [authorities, latest] = await Promise.all([api.allAuthorities(), api.latestGrades("overall-effectiveness")]);
  const overall = new Map(latest.map((judgement) => [judgement.authority.slug, judgement]));
  const latestCell = (slug) => {
    const judgement = overall.get(slug);
    return judgement ? `${judgement.grade_label} (${judgement.score}), ${formatDate(judgement.start_date.slice(0, 7))}` : "None loaded";
  };
  const inspected = authorities.filter((authority) => authority.inspections > 0).sort((a, b) => a.name.localeCompare(b.name, "en-GB"));
  const filter = h("input", { type: "search", id: "authority-filter", autocomplete: "off" });
  const count = h("p", { role: "status", "aria-live": "polite", id: "authority-count" });
  const rows = inspected.map((authority) =>
    h(
      "tr",
      { "data-slug": authority.slug, "data-names": [authority.name, ...authority.other_names].join(" ").toLowerCase() },
      h("th", { scope: "row" }, h("a", { href: `#/authority/${encodeURIComponent(authority.slug)}` }, authority.name)),
      h("td", {}, authority.region),
      h("td", {}, String(authority.inspections)),
      h("td", {}, latestCell(authority.slug)),
    ),
  );
  const update = () => {
    const wanted = filter.value.trim().toLowerCase();
    let shown = 0;
    for (const row of rows) {
      row.hidden = Boolean(wanted) && !row.dataset.names.includes(wanted);
      if (!row.hidden) shown += 1;
    }
    count.textContent = `${shown} of ${inspected.length} authorities with inspections loaded (${authorities.length} in the register)`;
    csv.href = `/authorities?${new URLSearchParams({ ...(wanted ? { name: wanted } : {}), format: "csv" })}`;
  };
  const csv = h("a", { href: "/authorities?format=csv", download: "authorities.csv", id: "authorities-csv", class: "button button--secondary" }, "Download CSV");
  filter.addEventListener("input", update);
  main.replaceChildren(
    h("h1", { tabindex: "-1" }, "Authorities"),
    h("p", { class: "lede" }, "Local authorities with inspections loaded. Open one for its grades over time and its themes beside its statistical neighbours."),
    h("div", { class: "field" }, h("label", { for: "authority-filter" }, "Find an authority by name"), filter),
    count,
    h("p", { class: "download" }, csv, " of the register's authorities with these names, with how many inspections each has loaded (the API's CSV)."),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "data-table", id: "authority-table" },
        h("caption", { class: "visually-hidden" }, "Authorities with inspections loaded"),
        h("thead", {}, h("tr", {}, ["Authority", "Region", "Inspections", "Latest overall effectiveness"].map((text) => h("th", { scope: "col" }, text)))),
        h("tbody", {}, rows),
      ),
    ),
  );
  update();
  document.title = "Authorities: Ofsted findings explorer";
}
