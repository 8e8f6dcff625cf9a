// The live classroom's connection: finds out whether a live server is there
// (GET live/info; a static host has none, and the page then offers no live
// controls), opens the WebSocket, speaks the protocol (liveproto.js), reconnects
// with backoff and jitter, and catches up when the device comes back (online,
// visibilitychange, pageshow, a wake from sleep). Everything it learns goes to the
// store (state.live); the presenter's steps and the class in the picture follow
// from the store.
//
// The presenter's secret lives in memory and in the address's fragment
// (#live=CODE.SECRET), which browsers never send to a server; it travels to the
// server only inside a message. A follower's token lives in memory only.

import * as proto from './liveproto.js';
import { t, fmtWords } from './words.js';

const PING_EVERY = 20000;
const PONG_WITHIN = 10000;
const CHECK_WITHIN = 4000;
const WAKE_GAP = 15000;

export function createLive({ store, actions, bridge, announcer, win = window, WS = win.WebSocket, fetchInfo, newsEvery = 5000 }) {
  let sess = proto.emptySession;
  let ws = null;
  let wanted = false; // a session is held: connect (again) when it drops
  let first = null; // the first message of each connection
  let attempt = 0;
  let retryTimer = 0;
  let pingTimer = 0;
  let pongTimer = 0;
  let lastFatal = '';
  let sentStep = '';
  let applying = false;
  let offlineClose = false;
  let chosen = ''; // the display name the student chose ('' for a made-up one)
  let fresh = false; // no snapshot yet since this session began on this page

  const live = () => store.getState().live;
  const set = (patch) => actions.setLive(patch);
  const lang = () => store.getState().lang || 'en';
  const send = (m) => {
    if (ws && ws.readyState === 1) { ws.send(JSON.stringify(m)); return true; }
    return false;
  };
  const wsURL = () => {
    const rel = (live().info && live().info.ws) || 'live/ws';
    const u = new URL(rel, win.location.href);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.hash = '';
    u.search = '';
    return u.href;
  };
  const publish = () => set({ session: sess });

  // --- the connection ---

  const clearTimers = () => {
    clearTimeout(retryTimer); retryTimer = 0;
    clearInterval(pingTimer); pingTimer = 0;
    clearTimeout(pongTimer); pongTimer = 0;
  };

  const connect = () => {
    clearTimers();
    if (!wanted || ws) return;
    if (win.navigator && win.navigator.onLine === false) { set({ status: 'offline' }); return; }
    lastFatal = '';
    let sock;
    try { sock = new WS(wsURL()); } catch (e) { console.warn('diagram: live: cannot connect:', e); schedule(false); return; }
    ws = sock;
    sock.onopen = () => {
      if (ws !== sock) return;
      send(first());
      pingTimer = setInterval(() => check(PONG_WITHIN), PING_EVERY);
    };
    sock.onmessage = (ev) => { if (ws === sock) receive(proto.parseServer(ev.data)); };
    sock.onclose = (ev) => { if (ws === sock) closed(ev.code); };
    sock.onerror = () => {}; // a close follows
  };

  // check asks the server for a pong; none within the time means the connection
  // is dead (a phone that slept, a proxy that dropped it): connect again.
  const check = (within) => {
    if (!ws || ws.readyState !== 1 || pongTimer) return;
    send(proto.msg.ping(Date.now()));
    pongTimer = setTimeout(() => {
      pongTimer = 0;
      if (ws) { const s = ws; ws = null; try { s.close(); } catch (e) { /* gone */ } closedWith(1006); }
    }, within);
  };

  const schedule = (later) => {
    clearTimers();
    set({ status: 'reconnecting' });
    const wait = proto.backoff(attempt++, Math.random, later ? 4000 : 500, later ? 30000 : 15000);
    retryTimer = setTimeout(connect, wait);
  };

  const closed = (code) => {
    ws = null;
    closedWith(code);
  };
  const closedWith = (code) => {
    clearTimers();
    if (!wanted) return;
    if (offlineClose) { offlineClose = false; set({ status: 'offline' }); return; }
    const reason = lastFatal || proto.reasonOfClose(code);
    const again = proto.reconnects(code, reason);
    if (again) { schedule(again === 'later'); return; }
    stop(reason === 'room-ended' ? 'ended' : 'failed', reason || 'internal');
  };

  // stop ends the session on this page: status says how, problem why.
  const stop = (status, problem) => {
    wanted = false;
    clearTimers();
    // The class leaves the picture with the session.
    sess = Object.assign({}, sess, { roster: [] });
    if (ws) { const s = ws; ws = null; try { s.close(1000); } catch (e) { /* gone */ } }
    set({ status, problem: problem || '', session: sess });
    if (live().role === 'presenter' && (status === 'ended' || problem === 'unknown-code' || problem === 'not-allowed')) forgetFragment();
  };

  // now connects at once if the session dropped (the device woke or came back
  // online), or checks that the connection still answers.
  const now = () => {
    if (!wanted) return;
    if (!ws) { attempt = 0; connect(); } else check(CHECK_WITHIN);
  };

  // --- what the server says ---

  const receive = (m) => {
    if (!m) return;
    const { session, effect } = proto.applyMessage(sess, m);
    const before = sess;
    sess = session;
    if (!effect) { if (sess !== before) publish(); return; }
    switch (effect.kind) {
      case 'snapshot':
        attempt = 0;
        set({ status: 'live', problem: '', session: sess, role: sess.role });
        rosterNews(before, sess, true);
        followRoom(true);
        break;
      case 'opened':
        set({ session: sess });
        writeFragment(sess.code, sess.secret);
        break;
      case 'step':
        publish();
        followRoom(false);
        break;
      case 'pulse':
        bridge.send('connection', effect.n);
        break;
      case 'pong':
        clearTimeout(pongTimer); pongTimer = 0;
        break;
      case 'ended':
        publish();
        stop('ended', effect.reason === 'expired' ? 'expired' : 'room-ended');
        break;
      case 'left':
        publish();
        rosterNews(before, sess, false);
        break;
      case 'error':
        if (effect.fatal) lastFatal = effect.code;
        else set({ notice: { code: effect.code, retry: effect.retry, at: Date.now() } });
        break;
      case 'stale':
        break;
      default:
        publish();
        rosterNews(before, sess, false);
    }
  };

  // The room's step, for the presenter who took control (a reload, a second
  // device) and for followers following.
  const followRoom = (snapshot) => {
    const st = store.getState();
    const r = sess.room;
    if (!r || !r.step) return;
    const role = live().role;
    if (role === 'presenter') {
      sentStep = key(r.step, r.presenting);
      if (snapshot && key(st.step, st.presenting) !== sentStep) {
        // Taking control (a reload, a second device), the page goes to the room's
        // step; after a drop, the presenter's own steps meanwhile go to the room.
        if (fresh) apply(r.step, r.presenting);
        else pushStep(store.getState());
      }
      fresh = false;
      return;
    }
    if (!live().follow) return;
    apply(r.step, r.presenting);
  };
  const apply = (step, presenting) => {
    applying = true;
    try { actions.setStepState(step, presenting); } finally { applying = false; }
  };
  const key = (step, presenting) => (presenting ? 'p' + step : 'whole');

  const pushStep = (st) => {
    if (live().role !== 'presenter' || live().status !== 'live') return;
    const k = key(st.step, st.presenting);
    if (k === sentStep) return;
    sentStep = k;
    send(proto.msg.step(st.step, st.presenting));
  };

  // Roster news for the live region: joins and leaves gathered over a few seconds
  // and said as one sentence, so a class arriving is not forty announcements.
  let news = { joined: [], left: [] };
  let newsTimer = 0;
  const rosterNews = (a, b, snapshot) => {
    if (!announcer || snapshot) return;
    const had = new Set(a.roster.map((x) => x.id));
    const has = new Set(b.roster.map((x) => x.id));
    const you = b.you && b.you.id;
    for (const m of b.roster) if (!had.has(m.id) && m.id !== you) news.joined.push(m.name);
    for (const m of a.roster) if (!has.has(m.id) && m.id !== you) news.left.push(m.name);
    if ((news.joined.length || news.left.length) && !newsTimer) newsTimer = setTimeout(sayNews, newsEvery);
  };
  const sayNews = () => {
    newsTimer = 0;
    const w = store.getState().words;
    const n = news;
    news = { joined: [], left: [] };
    if (!w || !live().session.room) return;
    const parts = [];
    if (n.joined.length === 1) parts.push(t(w, 'live.announceJoinedOne', { name: n.joined[0] }));
    else if (n.joined.length > 1) parts.push(t(w, 'live.announceJoinedMany', { count: n.joined.length }));
    if (n.left.length === 1) parts.push(t(w, 'live.announceLeftOne', { name: n.left[0] }));
    else if (n.left.length > 1) parts.push(t(w, 'live.announceLeftMany', { count: n.left.length }));
    parts.push(fmtWords(w, 'live.joinedCount', live().session.room.members));
    announcer.say(parts.join(' '));
  };

  // --- the presenter's fragment ---

  const writeFragment = (code, secret) => {
    const url = win.location.pathname + win.location.search + proto.fragment(code, secret);
    try { win.history.replaceState(win.history.state, '', url); } catch (e) { /* a sandboxed frame: the secret stays in memory */ }
  };
  const forgetFragment = () => {
    if (!proto.readFragment(win.location.hash)) return;
    try { win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search); } catch (e) { /* not allowed here */ }
  };

  // --- the verbs ---

  const begin = (role, firstMsg) => {
    if (ws) { const s = ws; ws = null; try { s.close(1000); } catch (e) { /* gone */ } }
    sess = Object.assign({}, proto.emptySession, { nums: sess.nums, nextN: sess.nextN });
    sentStep = '';
    fresh = true;
    wanted = true;
    attempt = 0;
    first = firstMsg;
    set({ role, status: 'connecting', problem: '', notice: null, follow: true, panel: true, session: sess });
    connect();
  };

  const api = {
    // goLive opens a room with the presenter's current step.
    goLive() {
      if (!live().available) return;
      let opened = false;
      begin('presenter', () => {
        if (sess.code && sess.secret) return proto.msg.present(sess.code, sess.secret, sess.seq);
        if (opened) return proto.msg.present(sess.code, sess.secret, sess.seq);
        opened = true;
        const st = store.getState();
        return proto.msg.open(st.step, st.presenting, lang());
      });
    },
    // present takes control of a room with its secret (the presenter link).
    present(code, secret) {
      sess = Object.assign({}, sess, { code, secret });
      begin('presenter', () => proto.msg.present(code, secret, sess.seq));
      sess = Object.assign({}, sess, { code, secret });
    },
    // join joins a room by its code as typed; '' when it is not a code.
    join(typed, name) {
      const code = proto.normalizeCode(typed);
      if (!code) return false;
      chosen = name || '';
      begin('follower', () => proto.msg.join(code, {
        // The name the student chose goes along each time: a rejoin after the
        // grace time is a new member, who should still be called so.
        name: chosen, lang: lang(),
        id: sess.you && sess.you.id, token: sess.you && sess.you.token, seq: sess.seq,
      }));
      return true;
    },
    rename(name) {
      chosen = String(name || '').trim();
      return send(proto.msg.rename(name));
    },
    pulse() {
      if (!send(proto.msg.pulse())) return;
      // The sender sees their own connection at once; the server's echo to others
      // is the same pulse.
    },
    leave() {
      send(proto.msg.leave());
      stop('off', '');
      sess = proto.emptySession;
      set({ role: '', session: sess });
    },
    setJoining: (open) => send(proto.msg.joining(open)),
    remove: (id) => send(proto.msg.remove(id)),
    end() {
      if (!send(proto.msg.end())) stop('ended', 'room-ended');
    },
    // follow goes back to following the presenter.
    follow() {
      set({ follow: true });
      followRoom(false);
    },
    // close forgets a session that ended or failed.
    dismiss() {
      if (wanted) return;
      sess = proto.emptySession;
      set({ role: '', status: 'off', problem: '', session: sess });
    },
    retry: now,
  };

  // Followers stop following when they move on their own; the presenter's steps go
  // to the room.
  store.subscribe((st, prev) => {
    if (st.step === prev.step && st.presenting === prev.presenting) return;
    const l = st.live;
    if (l.role === 'presenter') pushStep(st);
    else if (l.role === 'follower' && l.follow && !applying && l.session.room) {
      const r = l.session.room;
      if (key(st.step, st.presenting) !== key(r.step, r.presenting)) set({ follow: false });
    }
  });

  // The device came back: catch up at once.
  win.addEventListener('online', now);
  win.addEventListener('offline', () => {
    if (!wanted) return;
    if (ws) { offlineClose = true; const s = ws; ws = null; try { s.close(); } catch (e) { /* gone */ } closedWith(1006); }
    else { clearTimers(); set({ status: 'offline' }); }
  });
  win.document.addEventListener('visibilitychange', () => { if (!win.document.hidden) now(); });
  win.addEventListener('pageshow', (ev) => { if (ev.persisted) now(); });
  // A device that slept: timers stop, so a tick that comes much later than asked
  // means a wake.
  let lastTick = Date.now();
  setInterval(() => {
    const gap = Date.now() - lastTick;
    lastTick = Date.now();
    if (gap > WAKE_GAP) now();
  }, 5000);

  // Is there a live server? Then act on the address.
  const start = async () => {
    const info = await proto.askInfo(win, fetchInfo);
    set({ available: !!info, info });
    if (!info) return;
    const frag = proto.readFragment(win.location.hash);
    const joinCode = new URLSearchParams(win.location.search).get('join');
    if (frag) api.present(frag.code, frag.secret);
    else if (joinCode != null) {
      if (!api.join(joinCode, '')) set({ role: 'follower', status: 'failed', problem: 'unknown-code' });
    }
  };
  start();
  return api;
}
