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
