// The public JSON API, as the explorer uses it: nothing here that another frontend could
// not do with the OpenAPI document (/openapi.json) alone.

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** Query string from an object: arrays repeat the parameter (OR within a filter); empty
 * values are left out. */
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== null && item !== undefined && item !== "") search.append(name, String(item));
    }
  }
  return search.toString();
}

/** GET a path (as the API gives it in `next`, or built from params) as JSON. A non-2xx
 * answer throws an ApiError with the message of the API's one error body. */
export async function getJSON(path, params) {
  const query = params ? queryString(params) : "";
  const url = query ? `${path}${path.includes("?") ? "&" : "?"}${query}` : path;
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let body = null;
    try {
      body = await response.json();
    } catch {
      // not the API's JSON error body
    }
    const message = body && body.message ? body.message : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, body);
  }
  return response.json();
}

/** Every item of a list, following `next` to the end. */
export async function allPages(path) {
  const items = [];
  let next = path;
  while (next) {
    const page = await getJSON(next);
    items.push(...page.items);
    next = page.next;
  }
  return items;
}

const cache = new Map();

/** The same GET, fetched once per page load (vocabularies, documents). */
export function getOnce(path) {
  if (!cache.has(path)) {
    const pending = getJSON(path);
    pending.catch(() => cache.delete(path));
    cache.set(path, pending);
  }
  return cache.get(path);
}

export const api = {
  findings: (params) => getJSON("/findings", params),
  finding: (id) => getJSON(`/findings/${encodeURIComponent(id)}`),
  facets: (params) => getJSON("/findings/facets", params),
  document: (id) => getOnce(`/documents/${encodeURIComponent(id)}`),
  authority: (key) => getJSON(`/authorities/${encodeURIComponent(key)}`),
  timeline: (key) => getJSON(`/authorities/${encodeURIComponent(key)}/timeline`),
  neighbours: (key) => getJSON(`/authorities/${encodeURIComponent(key)}/neighbours`),
  themes: () => getOnce("/themes"),
  grades: () => getOnce("/grades"),
  /** Short labels of judgement areas: the facets endpoint labels every area it counts. */
  areaLabels: async () => {
    const { facets } = await getOnce("/findings/facets?by=area");
    return new Map(facets.area.map((entry) => [entry.value, entry.label]));
  },
  /** Labels of inspection types (frameworks and visits), from the facets endpoint. */
  typeLabels: async () => {
    const { facets } = await getOnce("/findings/facets?by=type");
    return new Map(facets.type.map((entry) => [entry.value, entry.label]));
  },
  /** Each authority's latest judgement in an area (GET /judgements?latest=true, every page). */
  latestGrades: (area) => allPages(`/judgements?latest=true&area=${encodeURIComponent(area)}&limit=500`),
  /** Every authority in the register, following `next` to the end. */
  allAuthorities: () => allPages("/authorities?limit=200"),
};
