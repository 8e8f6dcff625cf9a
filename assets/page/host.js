// The host page's API, for a diagram in a frame: plain-object messages.
// In, from window.parent: {type: 'diagram:command', command, step, part}, checked
// against an allowlist (checkCommand) and turned into actions; anything else is
// ignored with a warning. Out, to window.parent: {type: 'diagram:event', event,
// step, presenting, part, height} for each change of the store, once: ready, step,
// select, pause, play, resize (also as Canvas LMS's lti.frameResize).

import { isStep } from './steps.js';

// checkCommand checks a message from the host page. It returns {command, step,
// part} for a valid command, {ignore: true} for messages of other protocols, and
// {error} saying what is wrong with anything else.
export function checkCommand(d, facts) {
  if (!d || typeof d !== 'object' || Array.isArray(d)) return { error: 'not a plain object' };
  if (d.subject) return { ignore: true }; // LMS protocol messages, not for us
  if (d.type !== 'diagram:command') return { error: 'type must be "diagram:command"' };
  switch (d.command) {
    case 'next':
    case 'prev':
    case 'pause':
    case 'play':
      return { command: d.command };
    case 'goto':
      if (!isStep(d.step, facts.steps)) return { error: 'goto needs step, a whole number from 1 to ' + facts.steps };
      return { command: 'goto', step: d.step };
    case 'select':
      if (d.part === null || d.part === '' || d.part === undefined) return { command: 'select', part: '' };
      if (facts.parts.indexOf(d.part) < 0) return { error: 'select needs part: one of ' + facts.parts.join(', ') + ', or null' };
      return { command: 'select', part: d.part };
    default:
      return { error: 'unknown command ' + JSON.stringify(d.command) };
  }
}

// The height the diagram would like at a width, for hosts that size their frame to
// the content: the diagram's shape, within what a frame can sensibly be.
export function preferredHeight(width, facts) {
  const w = width || 640;
  return Math.round(Math.max(200, Math.min(1400, w / (facts.aspectRatio || 1))));
}

export function createHost({ store, actions, facts, win = window }) {
  let inFrame = false;
  try { inFrame = win.parent !== win; } catch (e) { inFrame = true; }
  if (!inFrame) return;

  const height = () => preferredHeight(document.documentElement.clientWidth, facts);
  const post = (event) => {
    const st = store.getState();
    const msg = { type: 'diagram:event', event, step: st.step, presenting: st.presenting, part: st.selection.part || null, height: height() };
    try { win.parent.postMessage(msg, '*'); } catch (e) { /* no parent to tell */ }
  };
  let lastHeight = 0;
  const postSize = (force) => {
    if (store.getState().phase !== 'ready') return;
    const h = height();
    if (!force && h === lastHeight) return;
    lastHeight = h;
    post('resize');
    try { win.parent.postMessage({ subject: 'lti.frameResize', height: h }, '*'); } catch (e) { /* as above */ }
  };

  store.subscribe((st, prev) => {
    if (st.phase === 'ready' && prev.phase !== 'ready') { post('ready'); postSize(true); }
    if ((st.step !== prev.step || st.presenting !== prev.presenting) && st.phase === 'ready') post('step');
    if (st.selection.part !== prev.selection.part || st.selection.person !== prev.selection.person) post('select');
    if (st.playing !== prev.playing) post(st.playing ? 'play' : 'pause');
  });
  if (win.ResizeObserver) new ResizeObserver(() => postSize(false)).observe(document.documentElement);

  const verbs = {
    next: () => actions.next(),
    prev: () => actions.prev(),
    goto: (c) => actions.goto(c.step),
    select: (c) => actions.select(c.part),
    pause: () => actions.setPlaying(false),
    play: () => actions.setPlaying(true),
  };
  win.addEventListener('message', (ev) => {
    if (ev.source !== win.parent) return;
    const c = checkCommand(ev.data, facts);
    if (c.ignore) return;
    if (c.error) { console.warn('diagram: message ignored: ' + c.error, ev.data); return; }
    verbs[c.command](c);
  });
}
