// Charts as inline SVG made here: an authority's grades over time on the one 1-4 scale,
// and its theme profile beside its statistical neighbours. Each chart comes with a table
// of the same numbers, for screen readers and for anyone who wants the exact values.

import { formatDate, h, prettify, s } from "./dom.js";

// Judgement areas in the order of the API's vocabulary; colours at least 3:1 against white
// and a marker shape each, so series differ by more than colour.
const AREAS = [
  ["overall-effectiveness", "#1b1b1b", "circle"],
  ["help-and-protection", "#0b5cad", "square"],
  ["children-in-care", "#b34700", "triangle"],
  ["care-leavers", "#00734a", "diamond"],
  ["adoption", "#7a2e9e", "triangle-down"],
  ["leadership", "#a3173b", "square"],
  ["quality-of-practice", "#006a80", "diamond"],
  ["capacity-to-improve", "#6b5200", "circle"],
  ["safeguarding-board", "#8a3f00", "triangle"],
  ["other", "#555555", "circle"],
];
const STYLE = new Map(AREAS.map(([area, colour, shape]) => [area, { colour, shape }]));
const AREA_ORDER = new Map(AREAS.map(([area], index) => [area, index]));

function marker(shape, x, y, size, attributes) {
  const r = size;
  const points = {
    square: [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]],
    diamond: [[x, y - r * 1.3], [x + r * 1.3, y], [x, y + r * 1.3], [x - r * 1.3, y]],
    triangle: [[x, y - r * 1.3], [x + r * 1.2, y + r], [x - r * 1.2, y + r]],
    "triangle-down": [[x, y + r * 1.3], [x + r * 1.2, y - r], [x - r * 1.2, y - r]],
  }[shape];
  if (!points) return s("circle", { cx: x, cy: y, r, ...attributes });
  return s("polygon", { points: points.map((point) => point.map((n) => n.toFixed(1)).join(",")).join(" "), ...attributes });
}

/** "2013-03-11", "2019-11" or "2019" as a fractional year (a month alone: its middle;
 * a year alone: its middle). */
export function yearOf(date) {
  const [year, month, day] = String(date).split("-").map(Number);
  if (!month) return year + 0.5;
  return year + (month - 1 + (day ? (day - 1) / 31 : 0.5)) / 12;
}

/** The graded points of a timeline: one per judgement, own or cited. */
export function gradePoints(timeline) {
  const points = [];
  for (const item of timeline.items) {
    const judgements = item.event === "inspection" ? item.judgements : [item.judgement];
    for (const judgement of judgements) {
      if (judgement.score === null || judgement.score === undefined) continue;
      points.push({
        date: item.date,
        x: yearOf(item.date),
        area: judgement.area,
        score: judgement.score,
        grade: judgement.grade,
        gradeLabel: judgement.grade_label,
        event: item.event,
        type: item.type_label || null,
        citedBy: item.cited_by ? item.cited_by.inspection_id : null,
      });
    }
  }
  return points;
}

/** The grade timeline: x is time, y the grade score (1 outstanding at the top, 4
 * inadequate at the bottom), one line and marker per judgement area; judgements known
 * only from a later report's citation are hollow; inspections without grades are marked
 * on the time axis. */
export function gradeTimelineChart(timeline, { grades, areaLabels }) {
  const points = gradePoints(timeline);
  const inspections = timeline.items.filter((item) => item.event === "inspection");
  const areaLabel = (area) => areaLabels.get(area) || prettify(area);
  const gradeLabel = new Map(grades.map((grade) => [grade.score, grade.label]));
  const width = 760;
  const height = 320;
  const margin = { top: 20, right: 24, bottom: 56, left: 250 };
  const xs = [...points.map((point) => point.x), ...inspections.map((item) => yearOf(item.date))];
  const first = Math.floor(Math.min(...xs));
  const last = Math.ceil(Math.max(...xs) + 0.001);
  const x = (year) => margin.left + ((year - first) / Math.max(1, last - first)) * (width - margin.left - margin.right);
  const y = (score) => margin.top + ((score - 1) / 3) * (height - margin.top - margin.bottom);
  const areas = [...new Set(points.map((point) => point.area))].sort((a, b) => (AREA_ORDER.get(a) ?? 99) - (AREA_ORDER.get(b) ?? 99));

  const axis = [];
  for (let score = 1; score <= 4; score += 1) {
    axis.push(s("line", { x1: margin.left, x2: width - margin.right, y1: y(score), y2: y(score), class: "chart-grid" }));
    axis.push(s("text", { x: margin.left - 10, y: y(score) + 4, "text-anchor": "end", class: "chart-label" }, `${score} ${gradeLabel.get(score) || ""}`));
  }
  const step = last - first > 14 ? 2 : 1;
  for (let year = first; year <= last; year += step) {
    axis.push(s("line", { x1: x(year), x2: x(year), y1: height - margin.bottom, y2: height - margin.bottom + 5, class: "chart-axis" }));
    axis.push(s("text", { x: x(year), y: height - margin.bottom + 19, "text-anchor": "middle", class: "chart-label" }, String(year)));
  }
  axis.push(s("line", { x1: margin.left, x2: width - margin.right, y1: height - margin.bottom, y2: height - margin.bottom, class: "chart-axis" }));

  // Markers of every inspection and visit on the time axis; a faint line up the chart.
  const events = inspections.map((item) =>
    s(
      "g",
      { class: "chart-inspection", "data-date": item.date, "data-type": item.type, "data-graded": String(item.judgements.length > 0) },
      s("title", {}, `${formatDate(item.date)}: ${item.type_label}${item.judgements.length ? "" : " (no grades)"}`),
      s("line", { x1: x(yearOf(item.date)), x2: x(yearOf(item.date)), y1: margin.top, y2: height - margin.bottom, class: "chart-event-line" }),
      marker("triangle", x(yearOf(item.date)), height - margin.bottom + 34, 5, { class: item.judgements.length ? "chart-event" : "chart-event chart-event--ungraded" }),
    ),
  );

  // Points at the same time and grade are spread sideways so none hides another.
  const spread = new Map();
  for (const point of points) {
    const key = `${point.date}|${point.score}`;
    spread.set(key, [...(spread.get(key) || []), point]);
  }
  const offset = (point) => {
    const group = spread.get(`${point.date}|${point.score}`).slice().sort((a, b) => (AREA_ORDER.get(a.area) ?? 99) - (AREA_ORDER.get(b.area) ?? 99));
    return (group.indexOf(point) - (group.length - 1) / 2) * 11;
  };

  const series = areas.map((area) => {
    const style = STYLE.get(area) || STYLE.get("other");
    const mine = points.filter((point) => point.area === area).sort((a, b) => a.x - b.x);
    const path = mine.map((point, index) => `${index ? "L" : "M"}${(x(point.x) + offset(point)).toFixed(1)},${y(point.score).toFixed(1)}`).join(" ");
    return s(
      "g",
      { class: "chart-series", "data-area": area },
      mine.length > 1 ? s("path", { d: path, fill: "none", stroke: style.colour, "stroke-width": area === "overall-effectiveness" ? 3 : 1.5, class: "chart-line" }) : null,
      mine.map((point) =>
        s(
          "g",
          {
            class: "chart-point",
            "data-area": area,
            "data-date": point.date,
            "data-score": point.score,
            "data-grade": point.grade,
            "data-cited": String(point.event === "cited-judgement"),
          },
          s("title", {}, `${formatDate(point.date)}, ${areaLabel(area)}: ${gradeLabel.get(point.score)} (${point.score})${point.event === "cited-judgement" ? ", as cited by a later report" : ""}`),
          marker(style.shape, x(point.x) + offset(point), y(point.score), area === "overall-effectiveness" ? 6 : 5, {
            fill: point.event === "cited-judgement" ? "#ffffff" : style.colour,
            stroke: style.colour,
            "stroke-width": 2,
          }),
        ),
      ),
    );
  });

  const titleId = "grade-chart-title";
  const descId = "grade-chart-desc";
  const overall = points.filter((point) => point.area === "overall-effectiveness").sort((a, b) => a.x - b.x);
  const description = overall.length
    ? `Overall effectiveness: ${overall.map((point) => `${point.date} ${gradeLabel.get(point.score)}`).join("; ")}. The table below lists every grade.`
    : "No overall effectiveness grades. The table below lists every grade.";
  const svg = s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${titleId} ${descId}`, class: "chart chart--timeline", "data-points": points.length },
    s("title", { id: titleId }, `Grades of ${timeline.authority.name} over time, 1 outstanding to 4 inadequate`),
    s("desc", { id: descId }, description),
    axis,
    events,
    series,
  );

  const legend = h(
    "ul",
    { class: "legend", "aria-label": "Judgement areas" },
    areas.map((area) => {
      const style = STYLE.get(area) || STYLE.get("other");
      return h(
        "li",
        {},
        s("svg", { viewBox: "0 0 20 20", width: 20, height: 20, "aria-hidden": "true", class: "legend__key" }, marker(style.shape, 10, 10, 6, { fill: style.colour, stroke: style.colour })),
        areaLabel(area),
      );
    }),
    h("li", {}, s("svg", { viewBox: "0 0 20 20", width: 20, height: 20, "aria-hidden": "true", class: "legend__key" }, marker("circle", 10, 10, 5, { fill: "#ffffff", stroke: "#1b1b1b", "stroke-width": 2 })), "Hollow: cited by a later report"),
    h("li", {}, s("svg", { viewBox: "0 0 20 20", width: 20, height: 20, "aria-hidden": "true", class: "legend__key" }, marker("triangle", 10, 11, 5, { class: "chart-event" })), "Inspection or visit (outlined: no grades)"),
  );

  const rows = timeline.items.flatMap((item) => {
    const judgements = item.event === "inspection" ? item.judgements : [item.judgement];
    const what = item.event === "inspection" ? item.type_label : `Cited by a later report (inspection ${item.cited_by.inspection_id})`;
    if (!judgements.length) return [[item.date, what, "No grades", "", ""]];
    return judgements.map((judgement) => [
      item.date,
      what,
      areaLabel(judgement.area),
      judgement.grade_label || gradeLabel.get(judgement.score) || "",
      judgement.score ?? "",
    ]);
  });
  const table = h(
    "table",
    { class: "data-table", id: "grade-table" },
    h("caption", {}, `Every inspection, visit and grade of ${timeline.authority.name}; the score is on the one scale, 1 outstanding to 4 inadequate, the grade in the report's own words`),
    h("thead", {}, h("tr", {}, ["Date", "Inspection or source", "Judgement area", "Grade as written", "Score"].map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map((cell, index) => (index === 0 ? h("th", { scope: "row" }, formatDate(cell)) : h("td", {}, cell)))))),
  );
  return { svg, legend, table, points };
}

/** Share (0-1) of an authority's findings that carry each theme. */
function shares(themes, findings) {
  return Object.fromEntries(Object.entries(themes).map(([theme, count]) => [theme, findings ? count / findings : 0]));
}

function percent(share) {
  return `${Math.round(share * 100)}%`;
}

/** The theme profile: for each theme, the share of the authority's findings that carry
 * it beside the same share over its statistical neighbours' findings pooled (neighbours
 * with no findings loaded are left out). Themes in order of the authority's share. */
export function themeProfileChart(neighbours, themeLabels) {
  const subject = neighbours.authority;
  const peers = neighbours.neighbours.filter((peer) => peer.findings > 0);
  const pooledFindings = peers.reduce((sum, peer) => sum + peer.findings, 0);
  const pooled = {};
  for (const theme of Object.keys(subject.themes)) pooled[theme] = peers.reduce((sum, peer) => sum + (peer.themes[theme] || 0), 0);
  const mine = shares(subject.themes, subject.findings);
  const theirs = shares(pooled, pooledFindings);
  const themes = Object.keys(subject.themes).sort((a, b) => mine[b] - mine[a] || theirs[b] - theirs[a] || a.localeCompare(b));
  const label = (theme) => themeLabels.get(theme) || prettify(theme);

  const width = 760;
  const rowHeight = peers.length ? 44 : 30;
  const top = 8;
  const left = 8;
  const barLeft = 300;
  const right = 60;
  const height = top + themes.length * rowHeight + 8;
  const maximum = Math.max(0.1, ...Object.values(mine), ...Object.values(theirs));
  const scale = Math.ceil(maximum * 10) / 10;
  const bar = (share) => (share / scale) * (width - barLeft - right);
  const rows = themes.map((theme, index) => {
    const y0 = top + index * rowHeight;
    const pair = [[subject.name, mine[theme], "chart-bar--subject", subject.themes[theme]]];
    if (peers.length) pair.push(["Neighbours", theirs[theme], "chart-bar--neighbours", pooled[theme]]);
    return s(
      "g",
      { class: "chart-theme", "data-theme": theme, "data-share": mine[theme].toFixed(4), "data-neighbours-share": peers.length ? theirs[theme].toFixed(4) : null },
      s("text", { x: left, y: y0 + 16, class: "chart-label" }, label(theme)),
      pair.map(([who, share, kind, count], barIndex) => {
        const y = y0 + 4 + barIndex * 18;
        return s(
          "g",
          { class: "chart-bar-row" },
          s("title", {}, `${label(theme)}: ${who} ${percent(share)} (${count} findings)`),
          s("rect", { x: barLeft, y, width: Math.max(1, bar(share)).toFixed(1), height: 14, class: `chart-bar ${kind}` }),
          s("text", { x: barLeft + bar(share) + 6, y: y + 11, class: "chart-value" }, percent(share)),
        );
      }),
    );
  });
  const titleId = "theme-chart-title";
  const descId = "theme-chart-desc";
  const top3 = themes.slice(0, 3).map((theme) => `${label(theme)} ${percent(mine[theme])}`).join("; ");
  const svg = s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${titleId} ${descId}`, class: "chart chart--themes", "data-themes": themes.length },
    s("title", { id: titleId }, `Share of findings per theme: ${subject.name}${peers.length ? " beside its statistical neighbours" : ""}`),
    s("desc", { id: descId }, `Most frequent themes of ${subject.name}: ${top3}. The table below gives every count.`),
    rows,
  );
  const legend = h(
    "ul",
    { class: "legend", "aria-label": "Bars" },
    h("li", {}, s("svg", { viewBox: "0 0 20 20", width: 20, height: 20, "aria-hidden": "true", class: "legend__key" }, s("rect", { x: 2, y: 4, width: 16, height: 12, class: "chart-bar chart-bar--subject" })), `${subject.name} (${subject.findings} findings)`),
    peers.length
      ? h(
          "li",
          {},
          s("svg", { viewBox: "0 0 20 20", width: 20, height: 20, "aria-hidden": "true", class: "legend__key" }, s("rect", { x: 2, y: 4, width: 16, height: 12, class: "chart-bar chart-bar--neighbours" })),
          `Statistical neighbours with findings, pooled: ${peers.map((peer) => peer.name).join(", ")} (${pooledFindings} findings)`,
        )
      : null,
  );
  const columns = [subject, ...peers];
  const table = h(
    "table",
    { class: "data-table", id: "theme-table" },
    h("caption", {}, `Findings per theme, ${subject.name} and its statistical neighbours with findings loaded (a finding can have several themes)`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Theme"), columns.map((column) => h("th", { scope: "col" }, column.name)))),
    h(
      "tbody",
      {},
      themes.map((theme) => h("tr", {}, h("th", { scope: "row" }, label(theme)), columns.map((column) => h("td", {}, `${column.themes[theme]} (${percent(column.findings ? column.themes[theme] / column.findings : 0)})`)))),
      h("tr", {}, h("th", { scope: "row" }, "Findings"), columns.map((column) => h("td", {}, String(column.findings)))),
    ),
  );
  return { svg, legend, table, peers };
}
