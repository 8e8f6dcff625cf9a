// Words: every word shown is from the language file in the store (state.words).
// t looks a key up; memberWords and targetName say who or what a target is.

export function t(words, key, vars) {
  let v = words;
  const parts = key.split('.');
  for (let i = 0; v && i < parts.length; i++) v = v[parts[i]];
  if (typeof v !== 'string') return '';
  if (vars) v = v.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return v;
}

const pick = (list, i) => (Array.isArray(list) && list.length ? list[i % list.length] : null);

// memberWords returns {name, text} for a member of a ring (a person, the newcomer,
// or a resource), or null when the language file has no words for it.
export function memberWords(words, m) {
  if (!words || !m) return null;
  const role = m.role || 0;
  if (m.kind === 'newcomer' && words.roles && words.roles.newcomer && typeof words.roles.newcomer === 'object' && !Array.isArray(words.roles.newcomer)) {
    return words.roles.newcomer;
  }
  if (m.kind && m.kind !== 'person' && m.kind !== 'newcomer') {
    return pick(words.resources && words.resources[m.kind], role);
  }
  return pick(words.roles && words.roles[m.ring], role);
}

// targetName is the name of a selected or hovered target: the member's, else the
// part's title.
export function targetName(words, tg, student) {
  if (!tg || !tg.part) return '';
  if (tg.kind === 'class') return (student && student(tg.person)) || t(words, 'live.student');
  if (tg.person >= 0) {
    const w = memberWords(words, tg);
    if (w && w.name) return w.name;
  }
  return t(words, 'parts.' + tg.part + '.title');
}

export const isResource = (m) => !!m && !!m.kind && m.kind !== 'person' && m.kind !== 'newcomer' && m.kind !== 'class';

// studentOf returns a function from a member of the picture to the live class's
// student standing there ({id, name, n}), or null: the program's seats name the
// page's number for each student, the roster their name.
export function studentOf(st) {
  const seats = (st.seats && st.seats.seats) || [];
  const roster = (st.live && st.live.session && st.live.session.roster) || [];
  return (member) => {
    const seat = seats.find((x) => x.member === member);
    return (seat && roster.find((m) => m.n === seat.id)) || null;
  };
}
// studentName is studentOf's name, for targetName.
export const studentName = (st) => { const of = studentOf(st); return (member) => { const m = of(member); return m ? m.name : ''; }; };

// applyWords puts the language into the page's fixed text: [data-t] elements get
// the text of their key, [data-t-label] their accessible name and title.
export function applyWords(doc, words) {
  doc.documentElement.lang = words.lang;
  doc.title = words.title;
  const meta = doc.querySelector('meta[name="description"]');
  if (meta) meta.setAttribute('content', words.description);
  for (const e of doc.querySelectorAll('[data-t]')) {
    const s = t(words, e.getAttribute('data-t'));
    if (s) e.textContent = s;
  }
  for (const e of doc.querySelectorAll('[data-t-label]')) {
    const l = t(words, e.getAttribute('data-t-label'));
    if (l) { e.setAttribute('aria-label', l); e.title = l; }
  }
}

// fmtWords says a count: the key holds {one, other} (the language's plural rule
// picks), each with {count}.
export function fmtWords(words, key, count) {
  let v = words;
  for (const p of key.split('.')) v = v && v[p];
  if (!v || typeof v !== 'object') return '';
  let cat = 'other';
  try { cat = new Intl.PluralRules(words.lang || 'en').select(count); } catch (e) { /* no Intl: other */ }
  const s = typeof v[cat] === 'string' ? v[cat] : v.other;
  return typeof s === 'string' ? s.replace(/\{count\}/g, String(count)) : '';
}
