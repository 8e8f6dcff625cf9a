// Small DOM helpers shared by the views.

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs, text) {
  const e = document.createElement(tag);
  if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (text != null) e.textContent = text;
  return e;
}

// Storage may be missing or throw (sandboxed frames, private modes): every use goes
// through these, and nothing depends on it.
export function remember(key, value) {
  try { window.localStorage.setItem('diagram.' + key, value); } catch (e) { /* not available */ }
}
export function recall(key) {
  try { return window.localStorage.getItem('diagram.' + key); } catch (e) { return null; }
}

// whenIdle runs fn when the browser is next idle (or after timeoutMs at the
// latest), or at the next task where it cannot say; it returns a function that
// cancels it.
export function whenIdle(fn, timeoutMs, win = window) {
  if (win.requestIdleCallback) {
    const id = win.requestIdleCallback(fn, { timeout: timeoutMs });
    return () => win.cancelIdleCallback(id);
  }
  const id = setTimeout(fn, 0);
  return () => clearTimeout(id);
}
