// The side panel: the summary and the parts when nothing is selected, else the
// selected part (definition, key points, quotation, sources) or member (who they
// are in the picture, and the ring they are part of).

import { $, el } from './dom.js';
import { t, memberWords, studentName } from './words.js';

// A source cited by the content file, as a list item.
export function sourceItem(s) {
  const li = el('li');
  li.appendChild(document.createTextNode(s.author + ' (' + s.year + '). '));
  const title = el('cite', null, s.title);
  if (s.url) {
    const a = el('a', { href: s.url, rel: 'noopener', target: '_blank' });
    a.appendChild(title);
    li.appendChild(a);
  } else {
    li.appendChild(title);
  }
  li.appendChild(document.createTextNode(s.publisher ? '. ' + s.publisher + '.' : '.'));
  return li;
}

// partSources lists the sources a part cites, in its order.
export function partSources(content, part) {
  const ids = (content && content.parts && content.parts[part] && content.parts[part].sources) || [];
  const all = (content && content.sources) || [];
  const out = [];
  for (const id of ids) for (const s of all) if (s.id === id) out.push(s);
  return out;
}

const swatch = (facts, part) => {
  const sw = el('span', { class: 'swatch', 'aria-hidden': 'true' });
  const p = facts.part(part);
  if (p && p.color) sw.style.background = 'var(--' + p.color + ')';
  return sw;
};

export function createPanel({ store, actions, facts }) {
  const body = $('panel-body');

  const partButton = (st, part) => {
    const b = el('button', { type: 'button', class: 'part-button', 'data-part': part, 'aria-pressed': st.selection.part === part ? 'true' : 'false' });
    b.appendChild(swatch(facts, part));
    b.appendChild(document.createTextNode(t(st.words, 'parts.' + part + '.title')));
    b.addEventListener('click', () => actions.select(part));
    b.addEventListener('focus', () => actions.setFocus(part));
    b.addEventListener('blur', () => actions.setFocus(''));
    return b;
  };

  const render = (st) => {
    const w = st.words;
    if (!w) return;
    const sel = st.selection;
    const frag = document.createDocumentFragment();
    if (!sel.part) {
      frag.appendChild(el('h2', { id: 'panel-title' }, t(w, 'heading')));
      frag.appendChild(el('p', null, t(w, 'summary')));
      frag.appendChild(el('h3', null, t(w, 'ui.parts')));
      const ul = el('ul', { class: 'part-list' });
      for (const part of facts.parts) {
        const li = el('li');
        li.appendChild(partButton(st, part));
        ul.appendChild(li);
      }
      frag.appendChild(ul);
      frag.appendChild(el('p', { class: 'hint' }, t(w, 'ui.selectHint')));
    } else if (sel.person >= 0) {
      const role = sel.kind === 'class'
        ? { name: studentName(st)(sel.person) || t(w, 'live.student'), text: t(w, 'live.studentText') }
        : memberWords(w, sel) || { name: '', text: '' };
      frag.appendChild(el('h2', { id: 'panel-title' }, role.name));
      frag.appendChild(el('p', { class: 'definition' }, role.text));
      const p = el('p', null, t(w, 'ui.partOf') + ' ');
      const b = el('button', { type: 'button', class: 'link-button' }, t(w, 'parts.' + sel.ring + '.title'));
      b.addEventListener('click', () => actions.select(sel.ring));
      p.appendChild(b);
      frag.appendChild(p);
    } else {
      const pw = w.parts[sel.part];
      const h = el('h2', { id: 'panel-title' });
      h.appendChild(swatch(facts, sel.part));
      h.appendChild(document.createTextNode(pw.title));
      frag.appendChild(h);
      frag.appendChild(el('p', { class: 'definition' }, pw.definition));
      frag.appendChild(el('h3', null, t(w, 'ui.keyPoints')));
      const pts = el('ul');
      for (const x of pw.points) pts.appendChild(el('li', null, x));
      frag.appendChild(pts);
      frag.appendChild(el('blockquote', null, pw.quote));
      frag.appendChild(el('p', { class: 'quote-by' }, '— ' + pw.quoteBy));
      const sources = partSources(st.content, sel.part);
      if (sources.length) {
        frag.appendChild(el('h3', null, t(w, 'ui.sources')));
        const sl = el('ul', { class: 'sources' });
        for (const s of sources) sl.appendChild(sourceItem(s));
        frag.appendChild(sl);
      }
    }
    body.textContent = '';
    body.appendChild(frag);
  };
  store.subscribe((st, prev) => {
    if (st.selection !== prev.selection || st.words !== prev.words || st.content !== prev.content ||
      (st.selection.kind === 'class' && (st.seats !== prev.seats || st.live.session !== prev.live.session))) render(st);
  });
}
