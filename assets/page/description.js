// The text description of the whole picture, in the order a screen reader
// follows: the summary, then each part with its definition, key points, quotation
// and sources, and the members of each ring (the model's list, from the manifest):
// its people, then its resources. It is always in the document, and opens as a
// sheet. Focusing a part's button there highlights it in the picture; selecting a
// part in the picture brings its section into view.

import { $, el } from './dom.js';
import { watch } from './store.js';
import { t, memberWords, isResource, fmtWords } from './words.js';
import { sourceItem, partSources } from './panel.js';

// memberList is the description's list of a ring's members: [{name, text}], the
// people first (the newcomer among them), then the resources; each under its
// heading's key.
export function memberLists(words, members, ring) {
  const people = [], resources = [];
  for (const m of members) {
    if (m.ring !== ring) continue;
    const w = memberWords(words, m);
    if (!w) continue;
    (isResource(m) ? resources : people).push(w);
  }
  const lists = [];
  const heads = { cop: ['ui.peopleCoP'], pln: ['ui.peoplePLN', 'ui.resourcesPLN'] }[ring] || [];
  if (people.length && heads[0]) lists.push({ heading: heads[0], items: people });
  if (resources.length && heads[1]) lists.push({ heading: heads[1], items: resources });
  return lists;
}

// sameNodes tells whether an element's children are, node for node, a fragment's.
function sameNodes(parent, frag) {
  const a = parent.childNodes, b = frag.childNodes;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!a[i].isEqualNode(b[i])) return false;
  return true;
}

export function createDescription({ store, actions, facts }) {
  const sheet = $('description');
  const body = $('description-body');
  const isOpen = () => store.getState().sheet;

  // mark flags the selected part's section, in the description or in a fragment
  // about to become it.
  const mark = (root = body) => {
    const sel = store.getState().selection;
    const part = sel.person >= 0 ? sel.ring : sel.part;
    for (const sec of root.querySelectorAll('section')) {
      const on = sec.id === 'desc-' + part;
      sec.setAttribute('aria-current', on ? 'true' : 'false');
      if (on && root === body && isOpen()) sec.scrollIntoView({ block: 'nearest' });
    }
  };

  // The build's description (English, with its sources) stays until the words
  // and the content are both in, so that it never shows without its sources.
  const render = (st) => {
    const w = st.words;
    if (!w || (!st.content && st.phase !== 'error')) return;
    const frag = document.createDocumentFragment();
    frag.appendChild(el('p', null, t(w, 'summary')));
    for (const part of facts.parts) {
      const pw = w.parts[part];
      const sec = el('section', { id: 'desc-' + part, 'aria-labelledby': 'desc-' + part + '-h' });
      sec.appendChild(el('h3', { id: 'desc-' + part + '-h' }, pw.title));
      sec.appendChild(el('p', null, pw.definition));
      const ul = el('ul');
      for (const x of pw.points) ul.appendChild(el('li', null, x));
      sec.appendChild(ul);
      sec.appendChild(el('p', null, pw.quote + ' — ' + pw.quoteBy));
      const sources = partSources(st.content, part);
      if (sources.length) {
        sec.appendChild(el('h4', null, t(w, 'ui.sources')));
        const sl = el('ul');
        for (const s of sources) sl.appendChild(sourceItem(s));
        sec.appendChild(sl);
      }
      sec.appendChild(el('button', { type: 'button', class: 'button secondary', 'data-part': part, tabindex: isOpen() ? '0' : '-1' }, t(w, 'ui.showInPicture', { title: pw.title })));
      for (const list of memberLists(w, facts.members, part)) {
        const wrap = el('div', { class: 'people' });
        wrap.appendChild(el('h4', null, t(w, list.heading)));
        const ml = el('ul');
        for (const m of list.items) {
          const li = el('li');
          li.appendChild(el('strong', null, m.name));
          li.appendChild(document.createTextNode(' '));
          li.appendChild(el('span', { class: 'role-text' }, m.text));
          ml.appendChild(li);
        }
        wrap.appendChild(ml);
        sec.appendChild(wrap);
      }
      if (part === 'pln') sec.appendChild(el('div', { class: 'people', id: 'desc-class', hidden: '' }));
      frag.appendChild(sec);
    }
    mark(frag);
    // The build wrote the same nodes when the words are its own (English) and the
    // content the same: they stay, not laid out again (the whole description, in
    // a task of the start), and a screen reader already reading them keeps its place.
    if (!sameNodes(body, frag)) {
      body.textContent = '';
      body.appendChild(frag);
    }
    renderClass(st);
  };
  // The live class, in the network's section: the names of those in the picture,
  // then how many more found no place.
  const renderClass = (st) => {
    const box = $('desc-class');
    const w = st.words;
    if (!box || !w) return;
    const roster = st.live.session.roster;
    box.hidden = !roster.length;
    box.textContent = '';
    if (!roster.length) return;
    box.appendChild(el('h4', null, t(w, 'live.classPeople')));
    const ul = el('ul');
    const seated = new Set(st.seats.seats.map((x) => x.id));
    let more = 0;
    for (const m of roster) {
      if (st.seats.capacity && !seated.has(m.n)) { more++; continue; }
      ul.appendChild(el('li', null, m.name));
    }
    if (more) ul.appendChild(el('li', null, fmtWords(w, 'live.overflow', more)));
    box.appendChild(ul);
  };
  store.subscribe((st, prev) => {
    if (st.words !== prev.words || st.content !== prev.content || (st.phase === 'error' && prev.phase !== 'error')) render(st);
  });
  watch(store, (s) => s.selection, () => mark());
  // The buttons, whether the build's or the page's, answer through their container.
  const partOf = (ev) => {
    const b = ev.target.closest && ev.target.closest('button[data-part]');
    return b && body.contains(b) ? b.getAttribute('data-part') : null;
  };
  body.addEventListener('click', (ev) => { const part = partOf(ev); if (part) actions.select(part); });
  body.addEventListener('focusin', (ev) => { const part = partOf(ev); if (part) actions.setFocus(part); });
  body.addEventListener('focusout', (ev) => { if (partOf(ev)) actions.setFocus(''); });
  store.subscribe((st, prev) => {
    if (st.live.session.roster !== prev.live.session.roster || st.seats !== prev.seats) renderClass(st);
  });

  watch(store, (s) => s.sheet, (open) => {
    sheet.classList.toggle('open', open);
    for (const b of body.querySelectorAll('button')) b.setAttribute('tabindex', open ? '0' : '-1');
    $('description-close').setAttribute('tabindex', open ? '0' : '-1');
    if (open) { sheet.focus(); mark(); }
  });
  const close = () => { actions.setSheet(false); $('more').focus(); };
  $('open-description').addEventListener('click', () => actions.setSheet(true));
  $('description-close').addEventListener('click', close);
  sheet.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && isOpen()) { close(); ev.preventDefault(); ev.stopPropagation(); }
  });
}
