// A tiny in-page test runner for the page's modules: test() registers a case,
// run() runs them in order and leaves the results in window.__results, where the
// Go test (server/internal/e2e, TestPageModules) reads them through the browser.

const cases = [];

export function test(name, fn) {
  cases.push({ name, fn });
}

const show = (v) => {
  try { return JSON.stringify(v); } catch (e) { return String(v); }
};

function deepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual(a[k], b[k]));
}

export const assert = {
  ok(v, msg) {
    if (!v) throw new Error((msg || 'expected a true value') + ', got ' + show(v));
  },
  equal(got, want, msg) {
    if (!Object.is(got, want)) throw new Error((msg ? msg + ': ' : '') + 'got ' + show(got) + ', want ' + show(want));
  },
  deepEqual(got, want, msg) {
    if (!deepEqual(got, want)) throw new Error((msg ? msg + ': ' : '') + 'got ' + show(got) + ', want ' + show(want));
  },
};

export async function run() {
  const results = [];
  for (const c of cases) {
    try {
      await c.fn();
      results.push({ name: c.name, ok: true });
    } catch (e) {
      results.push({ name: c.name, ok: false, error: String((e && e.stack) || e) });
    }
  }
  window.__results = results;
  return results;
}

// The fixtures the Go test hands the page: the built site's manifest and the
// language files, the real ones.
export const fixtures = () => window.__fixtures;
