// The live classroom's protocol against the fixtures the Go side writes
// (server/internal/live/proto/testdata), and the connection's decisions.
import { test, assert, fixtures } from './runner.js';
import * as proto from '../liveproto.js';
import { createLive } from '../live.js';
import { joinURL, shortURL } from '../livepanel.js';
import { fmtWords, studentOf, targetName, studentName } from '../words.js';
import { pageStore } from './state.test.js';

const fx = () => fixtures().live;
const client = (name) => JSON.parse(fx().client[name]);
const server = (name) => JSON.parse(fx().server[name]);

test('live: every message the page sends is the fixture, field for field', () => {
  const m = proto.msg;
  const cases = {
    open: m.open(1, true, 'fr'),
    present: m.present('K7QX2M', 'q1tWcD3dZ9mB0nV5xR2sAg', 42),
    join: m.join('k7q x2m', { name: 'Ada', lang: 'en' }),
    'join-anonymous': m.join('K7QX2M', { lang: 'es' }),
    'join-rejoin': m.join('K7QX2M', { id: 'm4h2k9t7c1', token: 'Yd8rT3pQ0wL6uN1vB9kHcA', seq: 42 }),
    rename: m.rename('Grace Hopper'),
    leave: m.leave(),
    pulse: m.pulse(),
    step: m.step(3, true),
    joining: m.joining(false),
    remove: m.remove('m4h2k9t7c1'),
    end: m.end(),
    ping: m.ping(1234.5),
  };
  assert.deepEqual(Object.keys(cases).sort(), Object.keys(fx().client).sort(), 'one case per client fixture');
  for (const name in cases) assert.deepEqual(JSON.parse(JSON.stringify(cases[name])), client(name), name);
});

test('live: the table of reasons and close codes is the server\'s', () => {
  const table = fx().reasons;
  assert.equal(Object.keys(proto.REASONS).length, table.length, 'as many reasons');
  for (const r of table) {
    const mine = proto.REASONS[r.reason];
    assert.ok(mine, 'reason ' + r.reason);
    assert.equal(mine.close, r.close, r.reason + ' close');
    assert.equal(!!mine.reconnect, r.reconnect, r.reason + ' reconnects');
    if (r.close) {
      assert.equal(proto.reasonOfClose(r.close), r.reason, 'close ' + r.close);
      assert.equal(!!proto.reconnects(r.close), r.reconnect, 'close ' + r.close + ' reconnects');
    }
  }
  // Restart (SIGTERM) and a server without NATS: connect again; a dropped network too.
  assert.equal(proto.reconnects(1012), true);
  assert.equal(proto.reconnects(1013), true);
  assert.equal(proto.reconnects(1006), true);
  assert.equal(proto.reconnects(1000), false);
});

test('live: join codes are read as the server reads them', () => {
  const c = fx().codes;
  assert.equal(proto.CODE_ALPHABET, c.alphabet);
  assert.equal(proto.CODE_LENGTH, c.length);
  for (const ex of c.examples) assert.equal(proto.normalizeCode(ex.in), ex.out, JSON.stringify(ex.in));
  assert.equal(proto.formatCode('K7QX2M'), 'K7Q X2M');
  assert.equal(fx().limits.version, 1);
});

test('live: a snapshot, then events above its seq, in order; stale ones dropped', () => {
  let s = proto.emptySession;
  const step = (m) => { const r = proto.applyMessage(s, m); s = r.session; return r.effect; };
  assert.equal(step(server('step')).kind, 'stale', 'no event before a snapshot');
  assert.equal(step(server('snapshot-follower')).kind, 'snapshot');
  assert.deepEqual([s.seq, s.room.step, s.room.members, s.role, s.you.name], [42, 3, 2, 'follower', 'Curious Otter']);
  assert.deepEqual(s.roster.map((m) => [m.id, m.n]), [['m9x3b6q2z8', 1], ['m4h2k9t7c1', 2]], 'numbered in order of joining');
  assert.equal(step(Object.assign(server('step'), { seq: 42, step: 6 })).kind, 'stale', 'an event of the snapshot\'s revision is in it');
  assert.equal(s.room.step, 3);
  assert.equal(step(server('step')).kind, 'step');
  assert.deepEqual([s.seq, s.room.step], [43, 4]);
  assert.equal(step(server('joining')), null);
  assert.equal(s.room.joining, false);
  const j = step(server('joined'));
  assert.deepEqual([j.kind, j.member.name, s.room.members, s.roster.length, s.roster[2].n], ['joined', 'Loutre curieuse', 3, 3, 3]);
  assert.equal(step(Object.assign(server('step'), { seq: 44, step: 1 })).kind, 'stale', 'older than the last event');
  assert.equal(s.room.step, 4);
  step(server('renamed'));
  assert.equal(s.roster[2].name, 'Marie');
  const l = step(server('left'));
  assert.deepEqual([l.kind, l.reason, l.name, s.roster.length, s.room.members], ['left', 'timeout', 'Marie', 2, 2]);
  step(server('left-removed'));
  assert.deepEqual(s.roster.map((m) => m.id), ['m4h2k9t7c1']);
  step(server('presenter'));
  assert.equal(s.room.presenter, false);
  const p = step(server('pulse'));
  assert.deepEqual([p.kind, p.n], ['pulse', 2], 'a pulse names the member\'s number');
  assert.equal(step(Object.assign(server('pulse'), { from: 'm9x3b6q2z8' })), null, 'no pulse from someone who left');
  assert.equal(step(server('ended')).kind, 'ended');
  assert.equal(step(server('pong')).t, 1234.5);
  const e = step(server('error-rate'));
  assert.deepEqual([e.code, e.fatal, e.retry], ['rate-limited', false, 1500]);
  assert.deepEqual([step(server('error-unknown')).fatal, step(server('error-replaced')).code], [true, 'replaced']);
  assert.equal(proto.applyMessage(s, proto.parseServer('not json')).effect, null);
  assert.equal(proto.parseServer('[1]'), null);
});

test('live: a rejoin keeps each student\'s number, so their seat', () => {
  let s = proto.applyMessage(proto.emptySession, server('snapshot-follower')).session;
  s = proto.applyMessage(s, server('joined')).session;
  const again = JSON.parse(fx().server['snapshot-follower']);
  again.seq = 60;
  again.roster = [again.roster[1], { id: 'm2c8v5n1p6', name: 'Loutre curieuse' }];
  s = proto.applyMessage(s, again).session;
  assert.deepEqual(s.roster.map((m) => m.n), [2, 3]);
  assert.equal(s.seq, 60);
});

test('live: the presenter\'s room, code and secret, and the fragment', () => {
  let s = proto.applyMessage(proto.emptySession, server('opened')).session;
  assert.deepEqual([s.code, s.secret], ['K7QX2M', 'q1tWcD3dZ9mB0nV5xR2sAg']);
  s = proto.applyMessage(s, server('snapshot-presenter')).session;
  assert.deepEqual([s.role, s.you, s.room.joining, s.secret], ['presenter', null, true, 'q1tWcD3dZ9mB0nV5xR2sAg']);
  assert.deepEqual(proto.readFragment(proto.fragment(s.code, s.secret)), { code: 'K7QX2M', secret: 'q1tWcD3dZ9mB0nV5xR2sAg' });
  assert.equal(proto.readFragment('#live=K0QX2M.q1tWcD3dZ9mB0nV5xR2sAg'), null, 'not a code');
  assert.equal(proto.readFragment(''), null);
  assert.equal(joinURL('https://example.edu/diagram/?present=1#x', 'K7QX2M'), 'https://example.edu/diagram/?join=K7QX2M');
  assert.equal(shortURL('https://example.edu/diagram/?join=K7QX2M'), 'example.edu/diagram/?join=K7QX2M');
});

test('live: backoff doubles to a cap, with jitter in its upper half', () => {
  assert.deepEqual([0, 1, 2, 3].map((n) => proto.backoff(n, () => 0)), [250, 500, 1000, 2000]);
  assert.deepEqual([0, 1].map((n) => proto.backoff(n, () => 1)), [500, 1000]);
  assert.equal(proto.backoff(30, () => 1), 15000);
});

test('live: counts and names of the class in every language', () => {
  for (const code of ['en', 'es', 'fr']) {
    const w = fixtures().words[code];
    assert.ok(fmtWords(w, 'live.joinedCount', 1).indexOf('1') >= 0 && fmtWords(w, 'live.joinedCount', 12).indexOf('12') >= 0, code);
    assert.ok(fmtWords(w, 'live.joinedCount', 1) !== fmtWords(w, 'live.joinedCount', 2).replace('2', '1'), code + ': one and many differ');
  }
  const st = {
    seats: { seats: [{ id: 2, member: 70 }], overflow: 0, capacity: 40 },
    live: { session: { roster: [{ id: 'a', name: 'Ada', n: 1 }, { id: 'b', name: 'Grace', n: 2 }] } },
  };
  assert.equal(studentOf(st)(70).name, 'Grace');
  assert.equal(studentOf(st)(71), null);
  const w = fixtures().words.en;
  assert.equal(targetName(w, { part: 'pln', person: 70, ring: 'pln', kind: 'class', role: 0 }, studentName(st)), 'Grace');
  assert.equal(targetName(w, { part: 'pln', person: 71, ring: 'pln', kind: 'class', role: 0 }, studentName(st)), w.live.student);
});

// A WebSocket stand-in that the test drives: what the page sent, and the server's
// side (messages and closes) on demand. The real server is in the browser tests.
function sockets() {
  const made = [];
  class WS {
    constructor(url) { this.url = url; this.readyState = 0; this.sent = []; made.push(this); setTimeout(() => { this.readyState = 1; this.onopen && this.onopen(); }, 0); }
    send(s) { this.sent.push(JSON.parse(s)); }
    close() { this.readyState = 3; }
    serve(m) { this.onmessage({ data: typeof m === 'string' ? m : JSON.stringify(m) }); }
    drop(code) { this.readyState = 3; this.onclose({ code }); }
  }
  return { WS, made };
}
const until = async (ok, what) => {
  for (let i = 0; i < 400; i++) { if (ok()) return; await new Promise((r) => setTimeout(r, 10)); }
  throw new Error('waited for ' + what);
};
function liveOn(search, hash = '', announcer = null) {
  const p = pageStore(search);
  const { WS, made } = sockets();
  const sentCmds = [];
  const listeners = {};
  const win = {
    location: { href: 'https://example.edu/diagram/' + search + hash, pathname: '/diagram/', search, hash },
    history: { state: null, replaceState(s, _, url) { const [pq, h] = url.split('#'); win.location.hash = h ? '#' + h : ''; win.location.search = pq.replace('/diagram/', ''); } },
    navigator: { onLine: true },
    document: { hidden: false, addEventListener: () => {} },
    addEventListener: (n, f) => { (listeners[n] = listeners[n] || []).push(f); },
  };
  const bridge = { send: (n, a) => sentCmds.push([n, a]) };
  const live = createLive({ store: p.store, actions: p.actions, bridge, win, WS, announcer, newsEvery: 40, fetchInfo: async () => ({ v: 1, ws: 'live/ws' }) });
  return Object.assign(p, { live, made, win, sentCmds, fire: (n) => (listeners[n] || []).forEach((f) => f({})) });
}

test('live: a student joins from ?join=, follows, stops following, and comes back', async () => {
  const p = liveOn('?join=k7q%20x2m');
  await until(() => p.made.length === 1 && p.made[0].sent.length === 1, 'the join');
  const ws = p.made[0];
  assert.equal(ws.url, 'wss://example.edu/diagram/live/ws');
  assert.deepEqual(ws.sent[0], { type: 'join', code: 'K7QX2M', lang: 'en' });
  ws.serve(fx().server['snapshot-follower']);
  let st = p.store.getState();
  assert.deepEqual([st.live.status, st.presenting, st.step], ['live', true, 3], 'at the room\'s step at once');
  assert.deepEqual(p.sentCmds, [], 'the class reaches the program through the store, not as a command');
  ws.serve(fx().server.step);
  assert.equal(p.store.getState().step, 4);
  p.actions.prev(); // exploring alone
  st = p.store.getState();
  assert.deepEqual([st.step, st.live.follow], [3, false]);
  ws.serve(Object.assign(server('step'), { seq: 44, step: 5 }));
  assert.equal(p.store.getState().step, 3, 'not followed while exploring');
  p.live.follow();
  assert.equal(p.store.getState().step, 5, 'Follow the presenter: the room\'s step');
  ws.serve(fx().server.pulse);
  assert.deepEqual(p.sentCmds, [['connection', 2]]);
  p.live.pulse();
  assert.deepEqual(ws.sent[ws.sent.length - 1], { type: 'pulse' });
});

test('live: a restart (1012) or a lost NATS (1013) reconnects as the same member; an unknown code does not', async () => {
  for (const code of [1012, 1013]) {
    const p = liveOn('?join=K7QX2M');
    await until(() => p.made.length === 1 && p.made[0].sent.length === 1, 'the join');
    p.made[0].serve(fx().server['snapshot-follower']);
    p.made[0].drop(code);
    assert.equal(p.store.getState().live.status, 'reconnecting', String(code));
    await until(() => p.made.length === 2 && p.made[1].sent.length === 1, 'the rejoin after ' + code);
    assert.deepEqual(p.made[1].sent[0], { type: 'join', code: 'K7QX2M', lang: 'en', id: 'm4h2k9t7c1', token: 'Yd8rT3pQ0wL6uN1vB9kHcA', seq: 42 });
  }
  const p = liveOn('?join=K7QX2M');
  await until(() => p.made.length === 1 && p.made[0].sent.length === 1, 'the join');
  p.made[0].serve(fx().server['error-unknown']);
  p.made[0].drop(4001);
  const l = p.store.getState().live;
  assert.deepEqual([l.status, l.problem], ['failed', 'unknown-code']);
});

test('live: offline closes and waits; online catches up at once', async () => {
  const p = liveOn('?join=K7QX2M');
  await until(() => p.made.length === 1 && p.made[0].sent.length === 1, 'the join');
  p.made[0].serve(fx().server['snapshot-follower']);
  p.win.navigator.onLine = false;
  p.fire('offline');
  assert.equal(p.store.getState().live.status, 'offline');
  p.win.navigator.onLine = true;
  p.fire('online');
  await until(() => p.made.length === 2 && p.made[1].sent.length === 1, 'the rejoin');
  assert.equal(p.made[1].sent[0].seq, 42, 'says what it saw');
});

test('live: the presenter opens a room, keeps the secret in the fragment, and drives the steps', async () => {
  const p = liveOn('?present=1&step=2');
  await until(() => p.store.getState().live.available === true, 'the info');
  p.live.goLive();
  await until(() => p.made.length === 1 && p.made[0].sent.length === 1, 'the open');
  const ws = p.made[0];
  assert.deepEqual(ws.sent[0], { type: 'open', step: 2, presenting: true, lang: 'en' });
  ws.serve(fx().server.opened);
  assert.equal(p.win.location.hash, '#live=K7QX2M.q1tWcD3dZ9mB0nV5xR2sAg');
  assert.ok(p.win.location.search.indexOf('q1tW') < 0, 'never in the query');
  ws.serve(Object.assign(server('snapshot-empty'), { room: Object.assign(server('snapshot-empty').room, { step: 2 }) }));
  p.actions.next();
  assert.deepEqual(ws.sent[ws.sent.length - 1], { type: 'step', step: 3, presenting: true });
  ws.drop(1012);
  await until(() => p.made.length === 2 && p.made[1].sent.length === 1, 'the reconnect');
  assert.deepEqual(p.made[1].sent[0], { type: 'present', code: 'K7QX2M', secret: 'q1tWcD3dZ9mB0nV5xR2sAg', seq: 7 });
});

test('live: a presenter link takes control at the room\'s step', async () => {
  const p = liveOn('', '#live=K7QX2M.q1tWcD3dZ9mB0nV5xR2sAg');
  await until(() => p.made.length === 1 && p.made[0].sent.length === 1, 'the present');
  assert.deepEqual(p.made[0].sent[0], { type: 'present', code: 'K7QX2M', secret: 'q1tWcD3dZ9mB0nV5xR2sAg' });
  p.made[0].serve(fx().server['snapshot-presenter']);
  const st = p.store.getState();
  assert.deepEqual([st.live.role, st.presenting, st.step], ['presenter', true, 3]);
  p.made[0].serve(fx().server['error-replaced']);
  p.made[0].drop(4006);
  assert.deepEqual([p.store.getState().live.status, p.store.getState().live.problem], ['failed', 'replaced']);
});

test('live: without a live server there is nothing to offer', async () => {
  const p = pageStore('?join=K7QX2M');
  const { WS, made } = sockets();
  createLive({ store: p.store, actions: p.actions, bridge: { send() {} }, WS, fetchInfo: async () => null,
    win: { location: { href: 'https://example.edu/?join=K7QX2M', search: '?join=K7QX2M', hash: '' }, navigator: {}, document: { addEventListener() {} }, addEventListener() {} } });
  await until(() => p.store.getState().live.available === false, 'the answer');
  assert.equal(made.length, 0, 'no connection');
  assert.equal(p.store.getState().live.role, '');
});

test('live: the class arriving is one polite announcement, not one per student', async () => {
  const said = [];
  const p = liveOn('?present=1&step=3', '#live=K7QX2M.q1tWcD3dZ9mB0nV5xR2sAg', { say: (x) => said.push(x) });
  p.actions.setWords('en', fixtures().words.en);
  await until(() => p.made.length === 1 && p.made[0].sent.length === 1, 'the present');
  p.made[0].serve(fx().server['snapshot-presenter']);
  for (const [i, id] of ['a1', 'b2', 'c3'].entries()) {
    p.made[0].serve({ type: 'joined', seq: 43 + i, member: { id, name: 'N' + id }, members: 2 + i });
  }
  await until(() => said.length > 0, 'the announcement');
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(said, ['3 people joined. 4 people have joined']);
  p.made[0].serve({ type: 'left', seq: 46, id: 'a1', reason: 'left', members: 3 });
  await until(() => said.length > 1, 'the next');
  assert.equal(said[1], 'Na1 left. 3 people have joined');
});
