// The bridge to the program (see wasm/internal/page): window.diagramBridge. The
// program reads the options and the content from it at start, sets its command
// function, calls connected() once it takes commands, and reports through onEvent
// what only it knows (ready, error, anchors, select, hover, svg). The page's state
// reaches the program from the store: whatever differs from what the program was
// told, or told the page itself, is sent once.

import { noTarget } from './facts.js';

// What the program is told for each part of the page's state.
const syncs = [
  { key: (s) => (s.presenting ? 'p' + s.step : 'whole'), cmd: (s) => (s.presenting ? ['goto', s.step] : ['present', 0]) },
  // A member (selected on the placeholder before the program ran) by its index.
  { key: (s) => s.selection.part + '#' + s.selection.person, cmd: (s) => (s.selection.person >= 0 ? ['selectMember', s.selection.person] : ['select', s.selection.part]) },
  { key: (s) => s.focus, cmd: (s) => ['focus', s.focus] },
  { key: (s) => (s.playing ? 'play' : 'pause'), cmd: (s) => [s.playing ? 'play' : 'pause'] },
  { key: (s) => String(s.speed), cmd: (s) => ['speed', s.speed] },
  { key: (s) => s.profile, cmd: (s) => ['profile', s.profile] },
  { key: (s) => (s.reducedMotion ? 'reduce' : 'full'), cmd: (s) => ['motion', s.reducedMotion ? 1 : 0] },
  { key: (s) => (s.visible ? 'on' : 'off'), cmd: (s) => ['visible', s.visible ? 1 : 0] },
  // The class in the picture: the live roster, by the page's numbers for them.
  { key: (s) => s.live.session.roster.map((m) => m.n).join(','), cmd: (s) => ['class', s.live.session.roster.map((m) => m.n)] },
  {
    key: (s) => (s.stage ? [s.stage.x, s.stage.y, s.stage.width, s.stage.height].join(' ') : ''),
    cmd: (s) => (s.stage ? ['stage', s.stage] : null),
  },
];

const keyOf = (sel) => sel.part + '#' + sel.person;

export function createBridge({ store, actions, rest, win = window }) {
  const known = new Array(syncs.length).fill(null); // what the program has, by sync
  let connected = false;
  let exited = false;
  const later = []; // one-off commands sent before the program takes commands
  const pendingSVG = [];
  let memory = null;
  let pointer = null; // where the pointer is over the placeholder, for the hand-over

  const call = (name, arg, arg2) => {
    if (exited) return; // after a fatal error the program is gone; its message stays up
    try {
      if (arg2 === undefined) bridge.command(name, arg); else bridge.command(name, arg, arg2);
      rest.release();
    } catch (err) {
      console.error('diagram: the program stopped:', err);
      exited = true;
    }
  };

  const sync = (state) => {
    if (!connected) return;
    syncs.forEach((s, i) => {
      const k = s.key(state);
      if (k === known[i]) return;
      const c = s.cmd(state);
      if (!c) return;
      known[i] = k;
      call(c[0], c[1]);
    });
  };

  const handle = (name, e) => {
    switch (name) {
      case 'ready':
        // User Timing: benchmarks and monitoring read the first frame's time here:
        // when the browser has shown it, at the end of the next animation frame's
        // task (which composites the canvas), not when the program sent it.
        if (win.performance && performance.mark) win.requestAnimationFrame(() => win.setTimeout(() => performance.mark('diagram-first-frame'), 0));
        actions.ready();
        break;
      case 'error':
        exited = true;
        actions.fail(e.kind === 'content' ? 'content' : 'program', String(e.message || ''), e.kind !== 'content');
        break;
      case 'anchors':
        actions.setAnchors(e.anchors, e.scale);
        break;
      case 'select':
        known[1] = keyOf({ part: e.part || '', person: e.person >= 0 ? e.person : -1 });
        actions.selected(e);
        break;
      case 'hover':
        actions.hovered(e);
        break;
      case 'class':
        actions.setSeats(e);
        break;
      case 'svg':
        if (pendingSVG.length) pendingSVG.shift()(e.svg);
        break;
    }
  };

  const bridge = {
    options: null,
    content: null,
    command: null, // set by the program
    onEvent(name, e) {
      try { handle(name, e || {}); } catch (err) { console.error('diagram: handling ' + name + ':', err); }
    },
    // The program calls this as soon as it takes commands, before its first frame,
    // so that what changed while it loaded, and the stage's place, shape that frame.
    connected() {
      if (connected || typeof bridge.command !== 'function') return;
      connected = true;
      sync(store.getState());
      for (const c of later.splice(0)) call(c[0], c[1], c[2]);
      // The pointer over the placeholder: the program hit-tests it for its first
      // frame, so what is hovered stays hovered.
      if (pointer) call('pointer', pointer);
      actions.connected();
    },
    idle: (on) => rest.idle(on),
    memory: () => (memory ? memory() : 0),
  };
  win.diagramBridge = bridge;
  store.subscribe(sync);

  return {
    // start hands the program its starting options (from the state) and the content
    // file's text, just before it runs; memory() gives the program's memory size
    // (where it runs in the worker, the last size it sent).
    start(state, contentText, mem) {
      memory = typeof mem === 'function' ? mem : null;
      bridge.content = contentText;
      bridge.options = {
        present: state.presenting,
        step: state.step,
        colorProfile: state.profile,
        reducedMotion: state.reducedMotion,
        paused: !state.playing,
        speed: state.speed,
      };
      // The program knows what the options say and starts with nothing selected,
      // nothing focused, on screen, with no stage: the rest is sent when it connects.
      const told = { ...state, selection: noTarget, focus: '', visible: true, stage: null };
      syncs.forEach((s, i) => { known[i] = s.key(told); });
    },
    // pointer records where the pointer is over the placeholder (x, y in CSS
    // pixels of the page), or that it left (null), for the program's start.
    pointer(x, y) {
      pointer = x == null || connected ? null : { x, y };
    },
    // send sends a one-off command (not state): the pointer left, an export.
    send(name, arg, arg2) {
      if (connected) call(name, arg, arg2); else later.push([name, arg, arg2]);
    },
    // requestSVG asks the program for the picture as it is now (see export.js for
    // the texts), in the named colours ('' for the screen's), and resolves with it.
    requestSVG(texts, profile) {
      return new Promise((resolve) => {
        pendingSVG.push(resolve);
        this.send('exportSVG', texts, profile || undefined);
      });
    },
    // stopped says the program has exited (main returned, or it crashed).
    stopped() { exited = true; },
    // running says the program takes commands and answers them.
    running: () => connected && !exited,
    api: bridge,
  };
}
