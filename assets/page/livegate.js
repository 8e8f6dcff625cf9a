// The live classroom's door, in the page from the start: it asks whether a live
// server is there (GET live/info; a static host has none, and the page then
// offers no live controls), shows what live offers (Go live while presenting,
// Join a class) at once, and loads the live classroom's own code (liveclass.js,
// a chunk of its own that most visitors never fetch) only when it is asked for:
// Go live, Join, a ?join= address, a presenter's #live= fragment (a reload of a
// presenter's page keeps it). A chunk that cannot be loaded (the network gone) is
// said plainly, in the page's language, and can be tried again.

import { $ } from './dom.js';
import { t } from './words.js';
import { askInfo, readFragment } from './liveproto.js';

// loadChunk imports the live classroom's chunk named by the manifest. A failed
// import stays failed for its address in the browser's module map, so a retry
// asks again under another query.
export function chunkLoader(manifest, win = window) {
  let tries = 0;
  return () => {
    if (!manifest.live) return Promise.reject(new Error('the manifest names no live classroom'));
    const u = new URL(manifest.live, win.document.baseURI);
    if (tries++) u.searchParams.set('retry', String(tries - 1));
    return import(u.href);
  };
}

export function createLiveGate({ store, actions, win = window, fetchInfo, load, start }) {
  let chunk = null; // the chunk's classroom, once started
  let loading = null; // the chunk on its way
  let queued = null; // what to do once it is there (the last thing asked)
  let problem = ''; // why the chunk is not here: '' or 'load-failed'

  const app = $('app');
  const render = (st) => {
    const l = st.live;
    // For tests and host pages' styles: whether a live server is there, and how
    // the session is.
    app.dataset.live = l.available === null ? 'unknown' : l.available ? (l.role ? l.role + ' ' + l.status : 'available') : 'none';
    // What live offers: Go live (presenting, no session here) and Join a class
    // (no session here), shown as soon as the server says live is there.
    $('go-live').hidden = !(l.available && st.presenting && !l.role);
    $('join-open').hidden = !(l.available && !l.role);
    const card = $('live-problem');
    const shown = !!problem && !l.role;
    card.hidden = !shown;
    app.classList.toggle('live-problem', shown);
    if (shown && st.words) $('live-problem-text').textContent = t(st.words, 'live.loadFailed');
  };
  store.subscribe((st, prev) => {
    if (st.live !== prev.live || st.words !== prev.words || st.presenting !== prev.presenting) render(st);
  });
  render(store.getState());

  // open loads and starts the classroom once, then does what was asked last
  // (what: {run(classroom), failed()}, or null to only load it).
  const open = (what) => {
    queued = what;
    if (chunk) { run(); return Promise.resolve(chunk); }
    if (loading) return loading;
    loading = Promise.resolve().then(load).then((m) => {
      chunk = start(m);
      loading = null;
      problem = '';
      render(store.getState());
      run();
      return chunk;
    }, (e) => {
      loading = null;
      console.warn('diagram: the live classroom could not be loaded:', e);
      const failed = queued;
      queued = null;
      if (failed && failed.failed) failed.failed();
      else offer(failed);
      return null;
    });
    return loading;
  };
  const run = () => {
    const what = queued;
    queued = null;
    if (what && what.run) what.run(chunk);
  };
  // offer shows the problem card, whose Try again does what failed once more.
  let retryWith = null;
  const offer = (what) => {
    problem = 'load-failed';
    retryWith = what;
    render(store.getState());
  };

  // Go live.
  const goLive = {
    run: (c) => {
      c.live.goLive();
      setTimeout(() => { if (!$('live-presenter').hidden) $('live-hide').focus(); }, 0);
    },
    failed: () => { offer(goLive); $('live-problem-retry').focus(); },
  };
  $('go-live').addEventListener('click', () => open(goLive));

  // Join a class: the dialog opens at once, and the chunk is fetched meanwhile;
  // a code submitted before it is there waits for it.
  const form = $('join-form');
  const err = $('join-error');
  let submitting = false;
  $('join-open').addEventListener('click', () => {
    err.textContent = '';
    $('join-code').removeAttribute('aria-invalid');
    actions.openDialog('join');
    open({ run: () => {}, failed: () => {} }); // said when the code is submitted
  });
  form.addEventListener('submit', (ev) => {
    // join.js takes the submit once it is loaded; until then nothing leaves the
    // page, and the submit is made again when the chunk is there.
    ev.preventDefault();
    if (chunk || submitting) return;
    submitting = true;
    err.textContent = '';
    open({
      run: () => { submitting = false; form.requestSubmit(); },
      failed: () => {
        submitting = false;
        err.textContent = t(store.getState().words, 'live.loadFailed');
        $('join-code').setAttribute('aria-invalid', 'true');
        $('join-code').focus();
      },
    });
  });

  // The problem card: try again, or close it.
  // The card stays until the chunk is there; a second failure says it again.
  $('live-problem-retry').addEventListener('click', () => {
    $('live-problem-text').textContent = '';
    open(retryWith || { run: () => {} });
  });
  $('live-problem-close').addEventListener('click', () => {
    problem = '';
    retryWith = null;
    render(store.getState());
    const back = $(store.getState().presenting ? 'go-live' : 'join-open');
    if (back && !back.hidden) back.focus();
  });

  // Is there a live server? Then act on the address: a presenter's fragment or a
  // join code loads the classroom at once.
  const begin = async () => {
    const info = await askInfo(win, fetchInfo);
    actions.setLive({ available: !!info, info });
    if (!info) return;
    const asked = readFragment(win.location.hash) || new URLSearchParams(win.location.search).get('join') != null;
    if (asked) open({ run: () => {} }); // live.js acts on the address when it starts
  };
  begin();

  return {
    // classroom resolves with the started classroom (loading it if need be), or
    // null when it cannot be loaded.
    classroom: () => open(null),
    loaded: () => !!chunk,
  };
}
