// The student's side of the live classroom: Join (a field for the code, with or
// without spaces, and an optional name), then a small card: who they are in the
// class, Send a connection, Follow the presenter (after exploring alone), Change
// name, Leave, and what is wrong when something is (reconnecting, ended, unknown
// code, full, closed, removed). It calls the live connection's verbs and follows
// the store.

import { $ } from './dom.js';
import { t } from './words.js';
import { normalizeCode, formatCode } from './liveproto.js';
import { statusText, noticeText } from './livepanel.js';

export function createJoin({ store, actions, live }) {
  const card = $('live-follower');
  let lastCode = '';
  let sendBlockedUntil = 0;
  let sendTimer = 0;

  const render = (st) => {
    const l = st.live, w = st.words;
    const follower = l.role === 'follower';
    card.hidden = !follower;
    $('app').classList.toggle('live-follower', follower);
    if (!w || !follower) return;
    const s = l.session;
    const on = l.status === 'live';
    const over = l.status === 'ended' || l.status === 'failed';
    const code = (s.room && s.room.code) || lastCode;
    let text;
    if (on && s.you) text = t(w, 'live.youAre', { name: s.you.name, code: formatCode(code) });
    else text = statusText(w, l) || t(w, 'live.connecting');
    if (on && s.room && !s.room.presenter) text += ' ' + t(w, 'live.presenterAway');
    $('follower-status').textContent = text;
    card.dataset.status = l.status;
    $('send-connection').hidden = over;
    $('send-connection').disabled = !on || Date.now() < sendBlockedUntil;
    $('follow').hidden = over || l.follow || !on;
    $('rename-open').hidden = over;
    $('rename-open').disabled = !on;
    $('leave').hidden = over;
    const rejoinable = over && (l.problem === 'room-full' || l.problem === 'joining-closed' || l.problem === 'failed' || l.problem === 'unknown-code');
    $('follower-retry').hidden = !rejoinable;
    $('follower-dismiss').hidden = !over;
    if (over) $('rename-form').hidden = true;
  };
  store.subscribe((st, prev) => {
    if (st.live !== prev.live || st.words !== prev.words) render(st);
  });
  render(store.getState());

  // Announce the connection's trouble (and its end) once, politely: the card says it too.
  store.subscribe((st, prev) => {
    const a = st.live, b = prev.live;
    if (a.role !== 'follower' || (a.status === b.status && a.problem === b.problem)) return;
    const w = st.words;
    if (!w) return;
    if (a.status === 'live' && b.status !== 'live' && a.session.you) announce(t(w, 'live.youAre', { name: a.session.you.name, code: formatCode(a.session.room.code) }));
    else if (a.status !== 'live' && a.status !== 'connecting') announce(statusText(w, a));
  });
  let announcer = null;
  const announce = (text) => { if (announcer && text) announcer.say(text); };

  // The join dialog.
  const form = $('join-form');
  const codeIn = $('join-code');
  const err = $('join-error');
  // (Join a class, which opens the dialog, is livegate.js's: it loads this.)
  $('join-cancel').addEventListener('click', actions.closeDialog);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const w = store.getState().words;
    const code = normalizeCode(codeIn.value);
    if (!code) {
      err.textContent = t(w, 'live.badCode');
      codeIn.setAttribute('aria-invalid', 'true');
      codeIn.focus();
      return;
    }
    codeIn.removeAttribute('aria-invalid');
    err.textContent = '';
    lastCode = code;
    live.join(code, $('join-name').value.trim());
    actions.closeDialog();
    setTimeout(() => $('send-connection').focus(), 0);
  });

  // Send a connection: the server limits it; a refusal says how long to wait,
  // and the button rests meanwhile.
  $('send-connection').addEventListener('click', () => {
    live.pulse();
    actions.setLive({ notice: { code: 'sent', at: Date.now() } });
  });
  $('follow').addEventListener('click', () => {
    live.follow();
    $('send-connection').focus();
  });
  $('leave').addEventListener('click', () => {
    live.leave();
    $('join-open').focus();
  });
  $('follower-retry').addEventListener('click', () => {
    const l = store.getState().live, s = l.session;
    const code = (s.room && s.room.code) || lastCode || new URLSearchParams(location.search).get('join') || '';
    // A code no class has is corrected in the Join field; otherwise the same again.
    if (l.problem === 'unknown-code' || !live.join(code, '')) {
      live.dismiss();
      codeIn.value = code;
      err.textContent = '';
      actions.openDialog('join');
    }
  });
  $('follower-dismiss').addEventListener('click', () => { live.dismiss(); $('join-open').focus(); });

  // Change name.
  const renameForm = $('rename-form');
  $('rename-open').addEventListener('click', () => {
    const open = renameForm.hidden;
    renameForm.hidden = !open;
    $('rename-open').setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) {
      const you = store.getState().live.session.you;
      $('rename-input').value = you ? you.name : '';
      $('rename-input').focus();
      $('rename-input').select();
    }
  });
  renameForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    live.rename($('rename-input').value);
    renameForm.hidden = true;
    $('rename-open').setAttribute('aria-expanded', 'false');
    $('rename-open').focus();
  });
  renameForm.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { renameForm.hidden = true; $('rename-open').setAttribute('aria-expanded', 'false'); $('rename-open').focus(); ev.preventDefault(); ev.stopPropagation(); }
  });

  // Notices: a refusal (rate limit, a name too long), a rename done.
  let noticeTimer = 0;
  store.subscribe((st, prev) => {
    const n = st.live.notice;
    if (n === prev.live.notice && st.words === prev.words) return;
    if (st.live.role !== 'follower') return;
    const p = $('follower-notice');
    const w = st.words;
    if (!n || !w) { p.textContent = ''; return; }
    if (n.code === 'rate-limited') {
      sendBlockedUntil = Date.now() + (n.retry || 1000);
      clearTimeout(sendTimer);
      sendTimer = setTimeout(() => render(store.getState()), (n.retry || 1000) + 50);
      render(st);
    }
    p.textContent = noticeText(w, n);
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => actions.setLive({ notice: null }), n.code === 'sent' ? 2500 : 6000);
  });
  // A rename the server made: say it.
  store.subscribe((st, prev) => {
    const a = st.live.session.you, b = prev.live.session.you;
    if (a && b && a.id === b.id && a.name !== b.name && st.live.status === 'live') actions.setLive({ notice: { code: 'renamed', name: a.name, at: Date.now() } });
  });

  return { setAnnouncer: (a) => { announcer = a; } };
}
