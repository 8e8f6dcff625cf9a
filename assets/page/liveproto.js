// The live classroom's protocol, as the page speaks it (defined once, in Go, in
// server/internal/live/proto; the module tests check this against the fixtures the
// Go side writes there): the join code's form, the messages the page sends, the
// reasons a connection ends and whether the page reconnects by itself, and the
// rules for applying what the server says to the page's copy of the room.
//
// applyMessage is pure: (session, message) -> {session, effect}. A session is
//   {seq, snap, room, roster, you, code, secret, nums, nextN}
// seq is the last revision applied, snap the last snapshot's; nums gives each
// member id the page's number for it (the program knows students only by number),
// kept for the page's life so that a student who comes back keeps their seat.

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 6;

// normalizeCode reads a join code as typed: any case, full-width forms, spaces,
// tabs and dashes anywhere; '' when it is not a code.
export function normalizeCode(s) {
  let out = '';
  for (const ch of String(s == null ? '' : s).normalize('NFKC')) {
    if (/\s/.test(ch) || ch === '-') continue;
    const c = ch.toUpperCase();
    if (c.length !== 1 || CODE_ALPHABET.indexOf(c) < 0) return '';
    out += c;
  }
  return out.length === CODE_LENGTH ? out : '';
}

// formatCode shows a code in two groups of three, as people read it aloud.
export const formatCode = (code) => (code && code.length === 6 ? code.slice(0, 3) + ' ' + code.slice(3) : code || '');

// The reasons a connection ends: close code, and whether to connect again by
// itself ('later': after a longer wait). Mirrors proto.Reasons (reasons.json).
export const REASONS = {
  left: { close: 1000, reconnect: false },
  'bad-message': { close: 4000, reconnect: false },
  'unknown-code': { close: 4001, reconnect: false },
  'room-full': { close: 4002, reconnect: false },
  'room-ended': { close: 4003, reconnect: false },
  'joining-closed': { close: 4004, reconnect: false },
  removed: { close: 4005, reconnect: false },
  replaced: { close: 4006, reconnect: false },
  'not-allowed': { close: 4007, reconnect: false },
  'rate-limited': { close: 4008, reconnect: 'later' },
  'too-slow': { close: 4009, reconnect: true },
  'server-full': { close: 4010, reconnect: 'later' },
  timeout: { close: 4011, reconnect: true },
  'bad-name': { close: 0, reconnect: false },
  'too-big': { close: 1009, reconnect: true },
  internal: { close: 1011, reconnect: true },
  restart: { close: 1012, reconnect: true },
  unavailable: { close: 1013, reconnect: true },
};

// reasonOfClose names the reason of a close code ('' for one the protocol does
// not use: a dropped network says 1006).
export function reasonOfClose(code) {
  for (const r in REASONS) if (REASONS[r].close === code && code) return r;
  return '';
}

// reconnects says whether a connection closed with this code (and, when known,
// this reason) should connect again by itself: true, 'later' or false. A close
// the protocol does not name (1006: the network dropped; 1001: going away) is
// trouble on the way, and the page tries again.
export function reconnects(code, reason) {
  const r = REASONS[reason || reasonOfClose(code)];
  if (r) return r.reconnect;
  return code !== 1000;
}

// The messages the page sends.
export const msg = {
  open: (step, presenting, lang) => ({ type: 'open', step, presenting, lang }),
  present: (code, secret, seq) => (seq ? { type: 'present', code, secret, seq } : { type: 'present', code, secret }),
  join(code, { name, lang, id, token, seq } = {}) {
    const m = { type: 'join', code };
    if (name) m.name = name;
    if (lang) m.lang = lang;
    if (id && token) { m.id = id; m.token = token; }
    if (seq) m.seq = seq;
    return m;
  },
  rename: (name) => ({ type: 'rename', name }),
  leave: () => ({ type: 'leave' }),
  pulse: () => ({ type: 'pulse' }),
  step: (step, presenting) => ({ type: 'step', step, presenting }),
  joining: (open) => ({ type: 'joining', open }),
  remove: (id) => ({ type: 'remove', id }),
  end: () => ({ type: 'end' }),
  ping: (t) => ({ type: 'ping', t }),
};

export const emptySession = Object.freeze({ seq: 0, snap: 0, room: null, roster: [], you: null, code: '', secret: '', nums: {}, nextN: 1 });

// parseServer reads a frame from the server: an object with a string type, or null.
export function parseServer(text) {
  if (typeof text !== 'string' || text.length > 1 << 20) return null;
  let m;
  try { m = JSON.parse(text); } catch (e) { return null; }
  return m && typeof m === 'object' && !Array.isArray(m) && typeof m.type === 'string' ? m : null;
}

const str = (v) => (typeof v === 'string' ? v : '');
const num = (v) => (typeof v === 'number' && isFinite(v) ? v : 0);
const member = (m) => (m && typeof m === 'object' && typeof m.id === 'string' && m.id ? { id: m.id, name: str(m.name) } : null);

// number gives the member its page number, keeping one it had.
function numbered(sess, list) {
  const nums = Object.assign({}, sess.nums);
  let nextN = sess.nextN;
  const roster = list.map((m) => {
    if (!(m.id in nums)) nums[m.id] = nextN++;
    return { id: m.id, name: m.name, n: nums[m.id] };
  });
  return { roster, nums, nextN };
}

// applyMessage applies one server message to a session. effect names what the
// page must do besides: {kind: 'pulse', n, id}, {kind: 'opened'}, {kind: 'ended',
// reason}, {kind: 'error', code, fatal, retry}, {kind: 'pong', t}, {kind:
// 'stale'} (a message older than what the page has: dropped), or null.
export function applyMessage(sess, m) {
  if (!m) return { session: sess, effect: null };
  const seq = num(m.seq);
  // An event is applied only above the snapshot's revision and not below the last
  // event's; events of one revision share its seq.
  const fresh = () => seq > sess.snap && seq >= sess.seq;
  const room = (patch) => Object.assign({}, sess.room, patch);
  switch (m.type) {
    case 'snapshot': {
      const r = m.room || {};
      const list = (Array.isArray(m.roster) ? m.roster : []).map(member).filter(Boolean);
      const nr = numbered(sess, list);
      const you = m.you && typeof m.you === 'object' ? { id: str(m.you.id), name: str(m.you.name), token: str(m.you.token) } : null;
      return {
        session: Object.assign({}, sess, nr, {
          seq, snap: seq, you: you || (m.role === 'follower' ? sess.you : null), code: str(r.code) || sess.code,
          room: { code: str(r.code), step: num(r.step), presenting: !!r.presenting, joining: !!r.joining, presenter: !!r.presenter, members: num(r.members), max: num(r.max) },
          role: m.role === 'presenter' ? 'presenter' : 'follower',
        }),
        effect: { kind: 'snapshot' },
      };
    }
    case 'opened':
      return { session: Object.assign({}, sess, { code: str(m.code), secret: str(m.secret) }), effect: { kind: 'opened' } };
    case 'pulse': {
      const id = str(m.from);
      if (!(id in sess.nums) || !sess.roster.some((x) => x.id === id)) return { session: sess, effect: null };
      return { session: sess, effect: { kind: 'pulse', id, n: sess.nums[id] } };
    }
    case 'pong':
      return { session: sess, effect: { kind: 'pong', t: num(m.t) } };
    case 'error':
      return { session: sess, effect: { kind: 'error', code: str(m.code), fatal: !!m.fatal, retry: num(m.retry) } };
  }
  if (!sess.room || !fresh()) return { session: sess, effect: { kind: 'stale' } };
  const next = (patch, effect = null) => ({ session: Object.assign({}, sess, { seq }, patch), effect });
  switch (m.type) {
    case 'step':
      return next({ room: room({ step: num(m.step), presenting: !!m.presenting }) }, { kind: 'step' });
    case 'joining':
      return next({ room: room({ joining: !!m.open }) });
    case 'presenter':
      return next({ room: room({ presenter: !!m.online }) });
    case 'joined': {
      const mm = member(m.member);
      if (!mm) return { session: sess, effect: null };
      const list = sess.roster.filter((x) => x.id !== mm.id).concat([mm]);
      return next(Object.assign(numbered(sess, list), { room: room({ members: num(m.members) || list.length }) }), { kind: 'joined', member: mm });
    }
    case 'renamed': {
      const mm = member(m.member);
      if (!mm) return { session: sess, effect: null };
      const roster = sess.roster.map((x) => (x.id === mm.id ? Object.assign({}, x, { name: mm.name }) : x));
      const you = sess.you && sess.you.id === mm.id ? Object.assign({}, sess.you, { name: mm.name }) : sess.you;
      return next({ roster, you }, { kind: 'renamed', member: mm });
    }
    case 'left': {
      const id = str(m.id);
      const gone = sess.roster.find((x) => x.id === id);
      const roster = sess.roster.filter((x) => x.id !== id);
      return next({ roster, room: room({ members: typeof m.members === 'number' ? m.members : roster.length }) },
        { kind: 'left', id, name: gone ? gone.name : '', reason: str(m.reason), you: !!(sess.you && sess.you.id === id) });
    }
    case 'ended':
      return next({ room: room({ ended: true }) }, { kind: 'ended', reason: str(m.reason) || 'ended' });
  }
  return { session: sess, effect: null };
}

// backoff is the wait before reconnect attempt n (0, 1, ...): doubling from base
// up to a cap, with full jitter on its upper half so that a class whose server
// restarted does not come back all at once.
export function backoff(n, rand = Math.random, base = 500, cap = 15000) {
  const d = Math.min(cap, base * Math.pow(2, Math.min(n, 10)));
  return Math.round(d / 2 + rand() * d / 2);
}

// The presenter link's fragment: #live=CODE.SECRET.
// askInfo asks the server whether it runs a live classroom (GET live/info; a
// static host has none) and returns its answer, or null for no, whatever went
// wrong. fetchInfo, if given, answers instead (an answer the page has already).
export async function askInfo(win, fetchInfo) {
  let info = null;
  try {
    info = await (fetchInfo ? fetchInfo() : fetch(new URL('live/info', win.location.href).href, { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : null)));
  } catch (e) { info = null; }
  return info && info.v === 1 && typeof info.ws === 'string' ? info : null;
}

export function readFragment(hash) {
  const m = /(?:^#|&)live=([2-9A-HJKMNP-Z]{6})\.([A-Za-z0-9_-]{16,64})(?:&|$)/.exec(String(hash || ''));
  return m ? { code: m[1], secret: m[2] } : null;
}
export const fragment = (code, secret) => '#live=' + code + '.' + secret;
