// The address keeps what a reload should come back to: the step of a presentation,
// the colours, a language chosen on the page. A sandboxed frame (opaque origin) may
// refuse to change it; the address is a convenience.

export function createAddress({ store, win = window }) {
  const set = (edit) => {
    const q = new URLSearchParams(win.location.search);
    edit(q);
    const s = q.toString();
    const url = win.location.pathname + (s ? '?' + s : '') + win.location.hash;
    if (url === win.location.pathname + win.location.search + win.location.hash) return;
    try { win.history.replaceState(win.history.state, '', url); } catch (e) { /* not allowed here */ }
  };
  const step = (st) => set((q) => {
    if (st.presenting) { q.set('present', '1'); q.set('step', String(st.step)); }
    else { q.delete('present'); q.delete('step'); }
  });
  store.subscribe((st, prev) => {
    if (st.step !== prev.step || st.presenting !== prev.presenting) step(st);
    if (st.profile !== prev.profile) set((q) => { if (st.profile === 'projector') q.set('colorProfile', 'projector'); else q.delete('colorProfile'); });
    // The language the page started with is the address's or the browser's: only a
    // choice made on the page is written.
    if (st.lang !== prev.lang && prev.lang) set((q) => q.set('lang', st.lang));
  });
  step(store.getState());
}
