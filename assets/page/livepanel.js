// The presenter's side of the live classroom (Go live itself is offered by
// livegate.js, which loads this): the join panel, large enough for the back of a room:
// the join address with its QR code, the code, how many have joined; close
// joining, the class (with Remove), the presenter link for a second device, end
// the session. The panel can be hidden (a button in the toolbar brings it back).
// It calls the live connection's verbs and follows the store.

import { $, el } from './dom.js';
import { t, fmtWords } from './words.js';
import { formatCode, fragment } from './liveproto.js';

// joinURL is the address students open: the site's public address with ?join=.
export function joinURL(base, code) {
  const u = new URL(base);
  u.search = '';
  u.hash = '';
  u.searchParams.set('join', code);
  return u.href;
}

// shortURL drops the scheme, for reading off a wall: example.edu/diagram/?join=K7QX2M.
export const shortURL = (url) => url.replace(/^https?:\/\//, '');

export function createLivePanel({ store, actions, facts, live, win = window, qr = null }) {
  const card = $('live-presenter');
  const base = () => facts.manifest.baseURL || win.location.href.split('#')[0].split('?')[0];
  let qrFor = '';
  let qrWords = null;

  const render = (st) => {
    const l = st.live, w = st.words;
    const presenter = l.role === 'presenter';
    const s = l.session;
    const code = s.code || (s.room && s.room.code) || '';
    // (Go live and the app's data-live are the gate's: livegate.js.)
    $('app').classList.toggle('live-presenter', presenter && l.panel);
    card.hidden = !(presenter && l.panel);
    $('live-show').hidden = !(presenter && !l.panel);
    $('live-show').setAttribute('aria-expanded', presenter && l.panel ? 'true' : 'false');
    if (!w || !presenter) return;
    const members = s.room ? s.room.members : 0;
    const url = code ? joinURL(base(), code) : '';
    $('live-show-label').textContent = code ? t(w, 'live.showPanel', { code: formatCode(code), count: members }) : t(w, 'live.goLive');
    $('live-url').textContent = url ? shortURL(url) : '';
    $('live-code').textContent = formatCode(code);
    $('live-code-hint').textContent = code ? t(w, 'live.codeSpelled', { code: code.split('').join(' ') }) : '';
    $('live-count').textContent = s.room ? fmtWords(w, 'live.joinedCount', members) : '';
    const status = statusText(w, l);
    $('live-status').textContent = status;
    $('live-status').hidden = !status;
    const on = l.status === 'live';
    const over = l.status === 'ended' || l.status === 'failed';
    $('live-join').hidden = over || !code;
    $('live-count').hidden = over;
    const joining = !!(s.room && s.room.joining);
    const jb = $('live-joining');
    jb.textContent = t(w, joining ? 'live.closeJoining' : 'live.openJoining');
    jb.hidden = over;
    jb.disabled = !on;
    $('live-class').textContent = t(w, 'live.classButton', { count: members });
    $('live-class').hidden = over;
    $('live-link').hidden = over || !s.secret;
    $('live-end').hidden = over;
    $('live-end').disabled = !on;
    $('live-again').hidden = !(over && l.problem === 'replaced');
    $('live-dismiss').hidden = !over;
    // Drawn again for a new address or new words (its accessible name).
    if (qr && url && (url !== qrFor || w !== qrWords)) {
      qrFor = url;
      qrWords = w;
      const slot = $('live-qr');
      slot.textContent = '';
      try {
        slot.appendChild(qr(url, { ecc: 'M', quiet: 4, label: t(w, 'live.qrLabel', { url: shortURL(url) }) }));
        slot.hidden = false;
      } catch (e) { slot.hidden = true; }
    }
    renderClass(st);
  };

  // The class dialog: who is in, each with Remove.
  const renderClass = (st) => {
    const w = st.words, s = st.live.session;
    if (!w) return;
    const list = $('roster');
    $('class-count').textContent = s.room ? fmtWords(w, 'live.joinedCount', s.room.members) : '';
    const ids = s.roster.map((m) => m.id + '=' + m.name).join('|');
    if (list.dataset.ids === ids && list.dataset.lang === st.lang) return;
    list.dataset.ids = ids;
    list.dataset.lang = st.lang;
    list.textContent = '';
    if (!s.roster.length) list.appendChild(el('li', { class: 'hint' }, t(w, 'live.nobodyYet')));
    for (const m of s.roster) {
      const li = el('li');
      li.appendChild(el('span', { class: 'roster-name' }, m.name));
      const b = el('button', { type: 'button', class: 'button secondary small', 'data-id': m.id, 'aria-label': t(w, 'live.removeName', { name: m.name }) }, t(w, 'live.remove'));
      b.addEventListener('click', () => {
        const next = li.nextElementSibling || li.previousElementSibling;
        live.remove(m.id);
        // Focus stays in the list: on the next person's button, else the dialog's close.
        const target = next && next.querySelector('button');
        (target || $('class-close')).focus();
      });
      li.appendChild(b);
      list.appendChild(li);
    }
  };

  store.subscribe((st, prev) => {
    if (st.live !== prev.live || st.words !== prev.words || st.presenting !== prev.presenting) render(st);
  });
  render(store.getState());

  $('live-hide').addEventListener('click', () => { actions.setLive({ panel: false }); $('live-show').focus(); });
  $('live-show').addEventListener('click', () => { actions.setLive({ panel: true }); $('live-hide').focus(); });
  $('live-joining').addEventListener('click', () => {
    const r = store.getState().live.session.room;
    if (r) live.setJoining(!r.joining);
  });
  $('live-class').addEventListener('click', () => actions.openDialog('class'));
  $('class-close').addEventListener('click', actions.closeDialog);
  $('live-end').addEventListener('click', () => {
    const w = store.getState().words;
    if (win.confirm(t(w, 'live.endConfirm'))) live.end();
  });
  $('live-again').addEventListener('click', () => {
    const s = store.getState().live.session;
    if (s.code && s.secret) live.present(s.code, s.secret);
  });
  $('live-dismiss').addEventListener('click', () => { live.dismiss(); $('present').focus(); });
  $('live-link').addEventListener('click', async () => {
    const st = store.getState(), s = st.live.session;
    const q = new URLSearchParams(win.location.search);
    q.delete('join');
    const link = base() + (q.toString() ? '?' + q : '') + fragment(s.code, s.secret);
    let ok = false;
    try { await win.navigator.clipboard.writeText(link); ok = true; } catch (e) { ok = false; }
    actions.setLive({ notice: { code: ok ? 'link-copied' : 'link-failed', link: ok ? '' : link, at: Date.now() } });
  });
  // Notices: said in the status line, then cleared.
  let noticeTimer = 0;
  const notice = (st) => {
    const n = st.live.notice, w = st.words;
    const p = $('live-notice');
    if (!n || !w || st.live.role !== 'presenter') { p.textContent = ''; return; }
    p.textContent = noticeText(w, n);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => actions.setLive({ notice: null }), n.link ? 60000 : 6000);
  };
  store.subscribe((st, prev) => { if (st.live.notice !== prev.live.notice || st.words !== prev.words) notice(st); });
}

// statusText says how the connection is, for presenter and followers alike: ''
// when all is well.
export function statusText(w, l) {
  switch (l.status) {
    case 'connecting': return t(w, 'live.connecting');
    case 'reconnecting': return t(w, 'live.reconnecting');
    case 'offline': return t(w, 'live.offline');
    case 'ended': return t(w, l.problem === 'expired' ? 'live.expired' : 'live.ended');
    case 'failed': return problemText(w, l.problem);
  }
  return '';
}

export function problemText(w, problem) {
  const key = {
    'unknown-code': 'live.unknownCode',
    'room-full': 'live.roomFull',
    'joining-closed': 'live.joiningClosed',
    removed: 'live.removed',
    replaced: 'live.replaced',
    'not-allowed': 'live.notAllowed',
    'room-ended': 'live.ended',
  }[problem] || 'live.failed';
  return t(w, key);
}

export function noticeText(w, n) {
  switch (n.code) {
    case 'rate-limited': return t(w, 'live.rateLimited', { seconds: Math.max(1, Math.ceil((n.retry || 1000) / 1000)) });
    case 'bad-name': return t(w, 'live.badName');
    case 'link-copied': return t(w, 'live.linkCopied');
    case 'link-failed': return t(w, 'live.linkFailed', { link: n.link || '' });
    case 'renamed': return t(w, 'live.renamedYou', { name: n.name || '' });
    case 'sent': return t(w, 'live.sent');
  }
  return t(w, 'live.refused');
}
