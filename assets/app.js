// The page's loader and controller. It reads the options in the address, loads the
// language file and the content file, downloads the wasm with true progress, starts
// it, and from then on owns everything with words in it: labels, the panel,
// messages. The wasm draws shapes; the two talk through window.diagramBridge
// (see wasm/internal/page).
(function () {
  'use strict';

  var doc = document;
  var $ = function (id) { return doc.getElementById(id); };
  var app = $('app');
  var manifest = readManifest();

  // --- options -------------------------------------------------------------------

  // Every option in the address is checked; a bad one falls back to its default
  // with a console warning, never an error.
  function readOptions(search) {
    var q;
    try { q = new URLSearchParams(search); } catch (e) { q = new URLSearchParams(''); }
    var o = { present: false, step: 1, colorProfile: 'dark', lang: '', motion: '', paused: false, speed: 1, embed: false };
    function warn(name, value, why) {
      console.warn('diagram: ignoring ?' + name + '=' + JSON.stringify(value) + ': ' + why);
    }
    function flag(name) {
      if (!q.has(name)) return null;
      var v = q.get(name);
      if (v === '' || v === '1' || v === 'true' || v === 'yes') return true;
      if (v === '0' || v === 'false' || v === 'no') return false;
      warn(name, v, 'use 1 or 0');
      return null;
    }
    var p = flag('present');
    if (p !== null) o.present = p;
    if (q.has('step')) {
      var s = q.get('step');
      if (/^[1-6]$/.test(s)) { o.step = +s; o.present = o.present || p === null; }
      else warn('step', s, 'use a step number from 1 to 6');
    }
    if (q.has('colorProfile')) {
      var c = q.get('colorProfile');
      if (c === 'dark' || c === 'projector') o.colorProfile = c;
      else warn('colorProfile', c, 'use dark or projector');
    }
    if (q.has('lang')) {
      var l = q.get('lang');
      if (manifest.lang && Object.prototype.hasOwnProperty.call(manifest.lang, l)) o.lang = l;
      else warn('lang', l, 'available languages are ' + Object.keys(manifest.lang || {}).join(', '));
    }
    if (q.has('motion')) {
      var m = q.get('motion');
      if (m === 'reduce' || m === 'full') o.motion = m;
      else warn('motion', m, 'use reduce or full');
    }
    var ps = flag('paused');
    if (ps !== null) o.paused = ps;
    var em = flag('embed');
    if (em !== null) o.embed = em;
    if (q.has('speed')) {
      var sp = q.get('speed');
      if (sp === '0.5' || sp === '1' || sp === '2') o.speed = +sp;
      else warn('speed', sp, 'use 0.5, 1 or 2');
    }
    return o;
  }

  function readManifest() {
    try {
      return JSON.parse($('manifest').textContent);
    } catch (e) {
      return {};
    }
  }

  // Storage may be missing or throw (sandboxed frames, private modes): every use
  // goes through these, and nothing depends on it.
  function store(key, value) {
    try { window.localStorage.setItem('diagram.' + key, value); } catch (e) { /* not available */ }
  }
  function recall(key) {
    try { return window.localStorage.getItem('diagram.' + key); } catch (e) { return null; }
  }

  var opts = readOptions(location.search);
  var reducedMotion = opts.motion ? opts.motion === 'reduce'
    : !!(window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches);

  // --- words ---------------------------------------------------------------------

  var words = null;
  var content = null;

  function pickLanguage() {
    if (opts.lang) return opts.lang;
    var list = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
    for (var i = 0; i < list.length; i++) {
      var code = String(list[i]).toLowerCase().split('-')[0];
      if (manifest.lang && manifest.lang[code]) return code;
    }
    return 'en';
  }

  function t(key, vars) {
    var v = words;
    var parts = key.split('.');
    for (var i = 0; v && i < parts.length; i++) v = v[parts[i]];
    if (typeof v !== 'string') return '';
    if (vars) v = v.replace(/\{(\w+)\}/g, function (m, k) { return k in vars ? String(vars[k]) : m; });
    return v;
  }

  function applyWords() {
    doc.documentElement.lang = words.lang;
    doc.title = words.title;
    var meta = doc.querySelector('meta[name="description"]');
    if (meta) meta.setAttribute('content', words.description);
    var els = doc.querySelectorAll('[data-t]');
    for (var i = 0; i < els.length; i++) {
      var s = t(els[i].getAttribute('data-t'));
      if (s) els[i].textContent = s;
    }
    els = doc.querySelectorAll('[data-t-label]');
    for (i = 0; i < els.length; i++) {
      var l = t(els[i].getAttribute('data-t-label'));
      if (l) { els[i].setAttribute('aria-label', l); els[i].title = l; }
    }
    if (canvas) canvas.setAttribute('aria-label', t('ui.canvasLabel'));
    renderPanel();
    renderDescription();
    renderStep();
    renderControls();
    placeLabels();
  }

  // --- the bridge to the wasm ------------------------------------------------------

  var bridge = window.diagramBridge = {
    options: {
      present: opts.present,
      step: opts.step,
      colorProfile: opts.colorProfile,
      reducedMotion: reducedMotion,
      paused: opts.paused || reducedMotion,
      speed: opts.speed
    },
    content: null,
    command: null, // set by the wasm
    onEvent: function (name, e) {
      try { handleEvent(name, e); } catch (err) { console.error('diagram: handling ' + name + ':', err); }
    }
  };

  // While the diagram is at rest (paused, nothing to draw), its game loop's
  // requests for animation frames are held back, so the browser stops producing
  // frames for it: an idle or paused diagram costs next to nothing. Any command,
  // pointer movement or resize releases the loop, and a slow heartbeat keeps it
  // alive whatever happens.
  var origRAF = window.requestAnimationFrame ? window.requestAnimationFrame.bind(window) : null;
  var heldRAF = null, heldTimer = 0, resting = false;
  function releaseRAF() {
    clearTimeout(heldTimer);
    heldTimer = 0;
    if (heldRAF) { var cb = heldRAF; heldRAF = null; origRAF(cb); }
  }
  if (origRAF) {
    window.requestAnimationFrame = function (cb) {
      if (!resting) return origRAF(cb);
      heldRAF = cb;
      if (!heldTimer) heldTimer = setTimeout(releaseRAF, 500);
      return 0;
    };
  }
  bridge.idle = function (on) {
    resting = !!on;
    if (!resting) releaseRAF();
  };
  ['pointermove', 'pointerdown', 'wheel', 'resize'].forEach(function (t) {
    window.addEventListener(t, function () { if (resting) releaseRAF(); }, { passive: true, capture: true });
  });

  var queued = [];
  var goExited = false;
  var connected = false;
  function send(name, arg) {
    if (goExited) return; // after a fatal error the program is gone; its message stays up
    if (typeof bridge.command !== 'function') { queued.push([name, arg]); return; }
    try {
      bridge.command(name, arg);
      releaseRAF();
    } catch (err) {
      console.error('diagram: the program stopped:', err);
      goExited = true;
    }
  }

  var state = {
    step: opts.step,
    presenting: opts.present,
    playing: !(opts.paused || reducedMotion),
    speed: opts.speed,
    profile: opts.colorProfile,
    singleKeys: recall('singleKeys') !== 'off',
    filling: false,
    // An embedded diagram takes no keys until the person chooses to explore it.
    active: !opts.embed,
    lang: 'en',
    selection: { part: '', person: -1, ring: '', kind: '', role: 0 },
    anchors: null,
    scale: 0,
    ready: false
  };

  // The program calls this as soon as it takes commands, before its first frame,
  // so that the commands sent while it loaded, and the stage's place, shape that
  // frame (go.run returns only after it).
  function connect() {
    if (connected || typeof bridge.command !== 'function') return;
    connected = true;
    var q = queued, staged = false;
    queued = [];
    for (var i = 0; i < q.length; i++) {
      send(q[i][0], q[i][1]);
      if (q[i][0] === 'stage') staged = true;
    }
    // The stage measured while loading is sent as it is: measuring it again here
    // would make the browser lay the page out before the first frame. It is
    // checked again once the page is laid out anyway, at the next frame.
    if (!staged) sendStage();
    if (origRAF) origRAF(sendStage);
  }
  bridge.connected = connect;

  function handleEvent(name, e) {
    switch (name) {
      case 'ready':
        // User Timing: benchmarks and monitoring read the first frame's time here.
        if (window.performance && performance.mark) performance.mark('diagram-first-frame');
        state.ready = true;
        app.setAttribute('data-state', 'ready');
        post('ready');
        postSize(true);
        break;
      case 'error':
        goExited = true;
        showError(t('ui.errorContent') || 'The diagram’s content file has a problem:', e.message, false);
        break;
      case 'anchors':
        state.anchors = e.anchors;
        state.scale = e.scale;
        placeLabels();
        break;
      case 'select':
        var changed = e.part !== state.selection.part || e.person !== state.selection.person;
        state.selection = e;
        renderPanel();
        markSelected();
        markDescription();
        if (changed) { announceSelection(); post('select'); }
        break;
      case 'step':
        var moved = e.step !== state.step || e.presenting !== state.presenting;
        state.step = e.step;
        state.presenting = e.presenting;
        renderStep();
        if (moved && state.ready) { announceStep(); post('step'); }
        break;
      case 'playing':
        state.playing = e.playing;
        renderControls();
        post(state.playing ? 'play' : 'pause');
        break;
      case 'svg':
        if (pendingExport) { var f = pendingExport; pendingExport = null; f(e.svg); }
        break;
      case 'hover':
        break;
    }
  }

  // --- labels --------------------------------------------------------------------

  var labelEls = doc.querySelectorAll('.label');

  // Before the wasm reports its anchors, labels go where the build said they will
  // be, scaled like the placeholder, so nothing moves when the canvas takes over.
  function designAnchors() {
    var r = $('stage').getBoundingClientRect();
    var ext = manifest.extent || 1.03;
    var scale = Math.min(r.width, r.height) / (2 * ext);
    var cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    return {
      scale: scale,
      anchors: (manifest.labels || []).map(function (a) {
        return { part: a.part, x: cx + a.x * scale, y: cy + a.y * scale, maxWidth: a.maxWidth * scale, maxHeight: a.maxHeight * scale, shown: true };
      })
    };
  }

  // Placing labels reads the page's layout, which costs a reflow per measurement;
  // it runs once per frame at most, never inside a call from the wasm.
  var labelsFrame = 0;
  function placeLabels() {
    if (!origRAF) { layoutLabels(); return; }
    if (!labelsFrame) labelsFrame = origRAF(function () { labelsFrame = 0; layoutLabels(); });
  }

  function layoutLabels() {
    if (!words) return;
    var src = state.anchors ? { anchors: state.anchors, scale: state.scale } : designAnchors();
    // Text scales with the picture, within limits a projector and a phone can read.
    var size = Math.max(11, Math.min(24, src.scale * 0.05));
    var steps = Math.floor(size - 11); // sizes size, size-1, ... down to 11 or just above
    for (var i = 0; i < labelEls.length; i++) {
      var el = labelEls[i];
      var part = el.getAttribute('data-part');
      var a = null;
      for (var j = 0; j < src.anchors.length; j++) if (src.anchors[j].part === part) a = src.anchors[j];
      if (!a) continue;
      el.style.left = a.x + 'px';
      el.style.top = a.y + 'px';
      el.style.maxWidth = a.maxWidth + 'px';
      el.setAttribute('data-shown', a.shown ? 'true' : 'false');
      // The full name in the largest size that fits its gap, else the short one,
      // else nothing (the panel still names every part). Smaller text fits better,
      // so the size is found by bisection: a few measurements, not one per size.
      var last = -1;
      var fitsAt = function (text, step) {
        last = step;
        el.style.fontSize = (size - step) + 'px';
        el.textContent = text;
        // Height may spill a little into the gap's margins; width may not.
        return el.scrollWidth <= a.maxWidth + 1 && el.scrollWidth <= el.clientWidth + 1 && el.offsetHeight <= a.maxHeight * 1.35 + 2;
      };
      var fits = false;
      var texts = [t('parts.' + part + '.title'), t('parts.' + part + '.short')];
      for (var k = 0; k < texts.length && !fits; k++) {
        if (!fitsAt(texts[k], steps)) continue;
        var lo = 0, hi = steps; // hi fits; find the first step that does
        while (lo < hi) {
          var mid = (lo + hi) >> 1;
          if (fitsAt(texts[k], mid)) hi = mid; else lo = mid + 1;
        }
        if (last !== hi) fitsAt(texts[k], hi);
        fits = true;
      }
      el.setAttribute('data-fits', fits ? 'true' : 'false');
      // The accessible name contains the visible text (WCAG 2.5.3) and the full name.
      if (el.textContent !== texts[0]) el.setAttribute('aria-label', el.textContent + ' (' + texts[0] + ')');
      else el.removeAttribute('aria-label');
    }
  }

  function markSelected() {
    app.classList.toggle('has-selection', !!state.selection.part);
    for (var i = 0; i < labelEls.length; i++) {
      var p = labelEls[i].getAttribute('data-part');
      labelEls[i].setAttribute('aria-pressed', state.selection.part === p && state.selection.person < 0 ? 'true' : 'false');
    }
  }

  for (var li = 0; li < labelEls.length; li++) {
    labelEls[li].addEventListener('click', function (ev) {
      var p = ev.currentTarget.getAttribute('data-part');
      send('select', state.selection.part === p && state.selection.person < 0 ? '' : p);
    });
    labelEls[li].addEventListener('focus', function (ev) { send('focus', ev.currentTarget.getAttribute('data-part')); });
    labelEls[li].addEventListener('blur', function () { send('focus', ''); });
  }

  // --- the panel -----------------------------------------------------------------

  function el(tag, attrs, text) {
    var e = doc.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  var partColor = { connectivism: 'var(--brain)', cop: 'var(--cop)', pln: 'var(--pln)', connections: 'var(--pulse)' };
  var partOrder = ['connectivism', 'cop', 'pln', 'connections'];

  function partButton(part) {
    var b = el('button', { type: 'button', 'class': 'part-button', 'data-part': part, 'aria-pressed': state.selection.part === part ? 'true' : 'false' });
    var sw = el('span', { 'class': 'swatch', 'aria-hidden': 'true' });
    sw.style.background = partColor[part];
    b.appendChild(sw);
    b.appendChild(doc.createTextNode(t('parts.' + part + '.title')));
    b.addEventListener('click', function () { send('select', part); });
    b.addEventListener('focus', function () { send('focus', part); });
    b.addEventListener('blur', function () { send('focus', ''); });
    return b;
  }

  function sourceItem(s) {
    var li = el('li');
    li.appendChild(doc.createTextNode(s.author + ' (' + s.year + '). '));
    var title = el('cite', null, s.title);
    if (s.url) {
      var a = el('a', { href: s.url, rel: 'noopener', target: '_blank' });
      a.appendChild(title);
      li.appendChild(a);
    } else {
      li.appendChild(title);
    }
    if (s.publisher) li.appendChild(doc.createTextNode('. ' + s.publisher + '.'));
    else li.appendChild(doc.createTextNode('.'));
    return li;
  }

  function renderPanel() {
    if (!words) return;
    var body = $('panel-body');
    var sel = state.selection;
    var frag = doc.createDocumentFragment();
    if (!sel.part) {
      frag.appendChild(el('h2', { id: 'panel-title' }, t('heading')));
      frag.appendChild(el('p', null, t('summary')));
      frag.appendChild(el('h3', null, t('ui.parts')));
      var ul = el('ul', { 'class': 'part-list' });
      for (var i = 0; i < partOrder.length; i++) {
        var li = el('li');
        li.appendChild(partButton(partOrder[i]));
        ul.appendChild(li);
      }
      frag.appendChild(ul);
      frag.appendChild(el('p', { 'class': 'hint' }, t('ui.selectHint')));
    } else if (sel.person >= 0) {
      var role = memberWords(sel);
      frag.appendChild(el('h2', { id: 'panel-title' }, role.name));
      frag.appendChild(el('p', { 'class': 'definition' }, role.text));
      var p = el('p', null, t('ui.partOf') + ' ');
      var b = el('button', { type: 'button', 'class': 'link-button' }, t('parts.' + sel.ring + '.title'));
      b.addEventListener('click', function () { send('select', sel.ring); });
      p.appendChild(b);
      frag.appendChild(p);
    } else {
      var w = words.parts[sel.part];
      var h = el('h2', { id: 'panel-title' });
      var sw = el('span', { 'class': 'swatch', 'aria-hidden': 'true' });
      sw.style.background = partColor[sel.part];
      h.appendChild(sw);
      h.appendChild(doc.createTextNode(w.title));
      frag.appendChild(h);
      frag.appendChild(el('p', { 'class': 'definition' }, w.definition));
      frag.appendChild(el('h3', null, t('ui.keyPoints')));
      var pts = el('ul');
      for (var j = 0; j < w.points.length; j++) pts.appendChild(el('li', null, w.points[j]));
      frag.appendChild(pts);
      frag.appendChild(el('blockquote', null, w.quote));
      frag.appendChild(el('p', { 'class': 'quote-by' }, '— ' + w.quoteBy));
      var ids = (content && content.parts[sel.part] && content.parts[sel.part].sources) || [];
      if (ids.length) {
        frag.appendChild(el('h3', null, t('ui.sources')));
        var sl = el('ul', { 'class': 'sources' });
        for (var k = 0; k < ids.length; k++) {
          for (var m = 0; m < content.sources.length; m++) {
            if (content.sources[m].id === ids[k]) sl.appendChild(sourceItem(content.sources[m]));
          }
        }
        frag.appendChild(sl);
      }
    }
    body.textContent = '';
    body.appendChild(frag);
  }


  // --- the text description ----------------------------------------------------------

  // A structured description of the whole picture, in the document order a screen
  // reader follows: summary, then each part with its definition, key points,
  // quotation and sources, then the people of each ring. Focusing a part's button
  // highlights it in the picture; selecting a part in the picture brings its
  // section into view.
  function renderDescription() {
    if (!words) return;
    var open = $('description').classList.contains('open');
    var body = $('description-body');
    var frag = doc.createDocumentFragment();
    frag.appendChild(el('p', null, t('summary')));
    for (var i = 0; i < partOrder.length; i++) {
      var part = partOrder[i];
      var w = words.parts[part];
      var sec = el('section', { id: 'desc-' + part, 'aria-labelledby': 'desc-' + part + '-h' });
      sec.appendChild(el('h3', { id: 'desc-' + part + '-h' }, w.title));
      sec.appendChild(el('p', null, w.definition));
      var ul = el('ul');
      for (var k = 0; k < w.points.length; k++) ul.appendChild(el('li', null, w.points[k]));
      sec.appendChild(ul);
      sec.appendChild(el('p', null, w.quote + ' — ' + w.quoteBy));
      var ids = (content && content.parts[part] && content.parts[part].sources) || [];
      if (ids.length) {
        sec.appendChild(el('h4', null, t('ui.sources')));
        var sl = el('ul');
        for (var s = 0; s < ids.length; s++) {
          for (var m = 0; m < content.sources.length; m++) if (content.sources[m].id === ids[s]) sl.appendChild(sourceItem(content.sources[m]));
        }
        sec.appendChild(sl);
      }
      var b = el('button', { type: 'button', 'class': 'button secondary', 'data-part': part, tabindex: open ? '0' : '-1' }, t('ui.showInPicture', { title: w.title }));
      b.addEventListener('click', (function (p) { return function () { send('select', p); }; })(part));
      b.addEventListener('focus', (function (p) { return function () { send('focus', p); }; })(part));
      b.addEventListener('blur', function () { send('focus', ''); });
      sec.appendChild(b);
      if (part === 'cop' || part === 'pln') sec.appendChild(peopleList(part));
      frag.appendChild(sec);
    }
    body.textContent = '';
    body.appendChild(frag);
    markDescription();
  }

  // memberWords returns the name and text of a selected member: a person of a ring,
  // the newcomer who joined the ring, or a resource of the network, by its kind.
  function memberWords(sel) {
    var list;
    if (sel.kind === 'newcomer') return (words.roles && words.roles.newcomer) || { name: '', text: '' };
    if (sel.kind && sel.kind !== 'person') list = words.resources && words.resources[sel.kind];
    else list = words.roles && words.roles[sel.ring];
    list = list || [];
    return list.length ? list[sel.role % list.length] : { name: '', text: '' };
  }

  function peopleList(ring) {
    var wrap = el('div', { 'class': 'people' });
    wrap.appendChild(el('h4', null, t(ring === 'cop' ? 'ui.peopleCoP' : 'ui.peoplePLN')));
    var roles = (words.roles && words.roles[ring]) || [];
    // The ring's founding members and the newcomer from the network; the network's
    // people but that newcomer.
    var n = ring === 'cop' ? (content ? content.cop.people : 0) : (content ? content.pln.people - 1 : 0);
    var ul = el('ul');
    for (var i = 0; i <= n && roles.length; i++) {
      var r = roles[i % roles.length];
      if (i === n) {
        if (ring !== 'cop') break;
        r = memberWords({ kind: 'newcomer' });
      }
      var li = el('li');
      li.appendChild(el('strong', null, r.name));
      li.appendChild(doc.createTextNode(' '));
      li.appendChild(el('span', { 'class': 'role-text' }, r.text));
      ul.appendChild(li);
    }
    wrap.appendChild(ul);
    if (ring === 'pln' && content && content.pln.resources) {
      // The network's resources, each said as what it is (the k-th of a kind takes
      // the k-th words of that kind).
      wrap.appendChild(el('h4', null, t('ui.resourcesPLN')));
      var rl = el('ul'), seen = {};
      for (var k = 0; k < content.pln.resources.length; k++) {
        var kind = content.pln.resources[k];
        var w = memberWords({ kind: kind, role: seen[kind] || 0 });
        seen[kind] = (seen[kind] || 0) + 1;
        var rli = el('li');
        rli.appendChild(el('strong', null, w.name));
        rli.appendChild(doc.createTextNode(' '));
        rli.appendChild(el('span', { 'class': 'role-text' }, w.text));
        rl.appendChild(rli);
      }
      wrap.appendChild(rl);
    }
    return wrap;
  }

  function markDescription() {
    var part = state.selection.part;
    var secs = $('description-body').querySelectorAll('section');
    for (var i = 0; i < secs.length; i++) {
      var on = secs[i].id === 'desc-' + (state.selection.person >= 0 ? state.selection.ring : part);
      secs[i].setAttribute('aria-current', on ? 'true' : 'false');
      if (on && $('description').classList.contains('open')) secs[i].scrollIntoView({ block: 'nearest' });
    }
  }

  function setDescription(open) {
    var d = $('description');
    d.classList.toggle('open', open);
    var bs = d.querySelectorAll('#description-body button');
    for (var i = 0; i < bs.length; i++) bs[i].setAttribute('tabindex', open ? '0' : '-1');
    $('description-close').setAttribute('tabindex', open ? '0' : '-1');
    if (open) { setMenu(false); d.focus(); markDescription(); }
  }
  $('open-description').addEventListener('click', function () { setDescription(true); });
  $('description-close').addEventListener('click', function () { setDescription(false); $('more').focus(); });
  $('description').addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape' && $('description').classList.contains('open')) { setDescription(false); $('more').focus(); ev.preventDefault(); ev.stopPropagation(); }
  });

  // --- errors and progress ---------------------------------------------------------

  function showError(message, detail, retry) {
    app.setAttribute('data-state', 'error');
    $('error').hidden = false;
    $('error-message').textContent = message;
    var d = $('error-detail');
    d.hidden = !detail;
    d.textContent = detail || '';
    $('error-retry').hidden = !retry;
    console.error('diagram: ' + message + (detail ? '\n' + detail : ''));
  }

  $('error-retry').addEventListener('click', function () { location.reload(); });

  function progress(done, total) {
    var pct = total > 0 ? Math.min(100, Math.floor(100 * done / total)) : 0;
    $('loader-bar').style.width = pct + '%';
    var text = t('ui.loadingPercent', { percent: pct }) || ('Loading the diagram: ' + pct + '%');
    $('loader-text').textContent = text;
  }

  // --- the canvas ------------------------------------------------------------------

  var canvas = null;

  // Ebiten appends its canvas to <body>. Move it into the app (so that full screen
  // takes canvas, labels and controls together), name it, take it out of the tab
  // order (the labels and the panel are its keyboard equivalents), and keep keys
  // away from it: Ebiten's own listener would swallow every key, Tab included.
  function adoptCanvas(c) {
    if (canvas) return;
    canvas = c;
    app.insertBefore(c, app.firstChild);
    c.setAttribute('tabindex', '-1');
    c.setAttribute('role', 'img');
    c.setAttribute('aria-label', t('ui.canvasLabel') || 'Animated diagram of connected learning');
    c.addEventListener('pointerleave', function () { send('pointerLeave'); });
  }

  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var added = records[i].addedNodes;
      for (var j = 0; j < added.length; j++) if (added[j].tagName === 'CANVAS') adoptCanvas(added[j]);
    }
  }).observe(doc.body, { childList: true });

  // Keys aimed at the canvas stop here, before Ebiten's listener; the page's own
  // shortcuts still see them.
  function keyGuard(ev) {
    if (ev.target && ev.target.tagName === 'CANVAS') {
      ev.stopImmediatePropagation();
      if (ev.type === 'keydown') onKey(ev);
    }
  }
  window.addEventListener('keydown', keyGuard, true);
  window.addEventListener('keyup', keyGuard, true);

  // Ebiten reloads the page when the WebGL context is lost, which can loop. Say
  // what happened instead and let the person reload.
  window.addEventListener('webglcontextlost', function (ev) {
    ev.stopImmediatePropagation();
    ev.preventDefault();
    showError(t('ui.errorLost') || 'The graphics were reset by the browser. Reload to continue.', '', true);
  }, true);

  var lastStage = '';
  function sendStage() {
    var r = $('stage').getBoundingClientRect();
    var key = [r.left, r.top, r.width, r.height].join(' ');
    // An unchanged stage is not sent again: the program would lay the scene out
    // for nothing. (While it loads, every measurement is queued for it.)
    if (key !== lastStage || typeof bridge.command !== 'function') {
      lastStage = key;
      send('stage', { x: r.left, y: r.top, width: r.width, height: r.height });
    }
    if (!state.anchors) placeLabels();
  }
  if (window.ResizeObserver) new ResizeObserver(sendStage).observe($('stage'));
  window.addEventListener('resize', sendStage);


  // --- presenting, controls, keys ----------------------------------------------------

  var total = 6;

  function renderStep() {
    app.classList.toggle('presenting', state.presenting);
    $('present').setAttribute('aria-pressed', state.presenting ? 'true' : 'false');
    var pl = $('present').querySelector('span');
    if (words && pl) pl.textContent = state.presenting ? t('ui.stopPresenting') : t('ui.present');
    $('stepper').hidden = !state.presenting;
    $('caption').hidden = !state.presenting;
    $('step-count').textContent = state.step + ' / ' + total;
    $('prev').disabled = state.step <= 1;
    $('next').disabled = state.step >= total;
    $('caption-prev').disabled = state.step <= 1;
    $('caption-next').disabled = state.step >= total;
    if (words && words.steps) {
      var s = words.steps[state.step - 1] || { title: '', caption: '' };
      $('caption-step').textContent = t('ui.stepOf', { step: state.step, total: total });
      $('caption-title').textContent = s.title;
      $('caption-text').textContent = s.caption;
    }
    // The address keeps the step, so a reload comes back to it.
    var q = new URLSearchParams(location.search);
    if (state.presenting) { q.set('present', '1'); q.set('step', String(state.step)); }
    else { q.delete('present'); q.delete('step'); }
    setQuery(q);
  }

  function setQuery(q) {
    var s = q.toString();
    var url = location.pathname + (s ? '?' + s : '') + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    // A sandboxed frame (opaque origin) may refuse; the address is a convenience.
    try { history.replaceState(history.state, '', url); } catch (e) { /* not allowed here */ }
  }

  function renderControls() {
    var play = $('play');
    // The button's name says what it will do ("Pause" or "Play").
    play.setAttribute('data-playing', state.playing ? 'true' : 'false');
    if (words) $('play-label').textContent = state.playing ? t('ui.pause') : t('ui.play');
    $('speed').value = String(state.speed);
    $('projector').setAttribute('aria-pressed', state.profile === 'projector' ? 'true' : 'false');
    var fs = isFullscreen() || state.filling;
    $('fullscreen').setAttribute('aria-pressed', fs ? 'true' : 'false');
    if (words) $('fullscreen-label').textContent = fs ? t('ui.exitFullscreen') : t('ui.fullscreen');
    $('single-keys').checked = state.singleKeys;
    var tools = doc.querySelectorAll('.tool');
    for (var i = 0; i < tools.length; i++) {
      // Names stay when narrow screens hide the text.
      var span = tools[i].querySelector('span:not(.sr)');
      if (span && tools[i].tagName === 'BUTTON') tools[i].setAttribute('aria-label', span.textContent);
    }
    $('speed').setAttribute('aria-label', t('ui.speed') || 'Speed');
  }

  function next() { send('next'); }
  function prev() { send('prev'); }
  function togglePresent() { send('present', state.presenting ? 0 : 1); }
  function togglePlay() { setPlaying(!state.playing); }
  function setPlaying(on) {
    if (state.playing === on) return;
    state.playing = on;
    send(on ? 'play' : 'pause');
    renderControls();
    post(on ? 'play' : 'pause');
  }
  function setProfile(p) {
    state.profile = p;
    doc.documentElement.classList.toggle('projector', p === 'projector');
    send('profile', p);
    var q = new URLSearchParams(location.search);
    if (p === 'projector') q.set('colorProfile', 'projector'); else q.delete('colorProfile');
    setQuery(q);
    renderControls();
  }

  $('present').addEventListener('click', togglePresent);
  $('prev').addEventListener('click', prev);
  $('next').addEventListener('click', next);
  $('caption-prev').addEventListener('click', prev);
  $('caption-next').addEventListener('click', next);
  $('play').addEventListener('click', togglePlay);
  $('speed').addEventListener('change', function () {
    state.speed = +$('speed').value;
    send('speed', state.speed);
  });
  $('projector').addEventListener('click', function () { setProfile(state.profile === 'projector' ? 'dark' : 'projector'); });
  $('fullscreen').addEventListener('click', toggleFullscreen);

  // Full screen takes the whole app (canvas, labels, caption, controls). Where the
  // page is in a frame that does not allow it, the app fills the frame instead and
  // says so; the button never does nothing.
  function isFullscreen() { return !!(doc.fullscreenElement || doc.webkitFullscreenElement); }

  function toggleFullscreen() {
    if (isFullscreen()) {
      (doc.exitFullscreen || doc.webkitExitFullscreen).call(doc);
      return;
    }
    if (state.filling) { setFilling(false); return; }
    var req = app.requestFullscreen || app.webkitRequestFullscreen;
    var enabled = doc.fullscreenEnabled || doc.webkitFullscreenEnabled;
    if (!req || !enabled) { setFilling(true); return; }
    try {
      var p = req.call(app);
      if (p && p.catch) p.catch(function () { setFilling(true); });
    } catch (e) {
      setFilling(true);
    }
  }

  function setFilling(on) {
    state.filling = on;
    app.classList.toggle('filling', on);
    if (on) toast(t('ui.fullscreenFallback') || 'Full screen is not allowed here, so the diagram fills its frame instead. Press Esc to go back.');
    renderControls();
    sendStage();
  }

  doc.addEventListener('fullscreenchange', function () { renderControls(); sendStage(); });
  doc.addEventListener('webkitfullscreenchange', function () { renderControls(); sendStage(); });

  var toastTimer = 0;
  doc.addEventListener('focusin', function () { if (!$('toast').hidden && !state.filling) $('toast').hidden = true; });
  function toast(msg) {
    var el = $('toast');
    el.textContent = msg;
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.hidden = true; }, 6000);
  }

  // The "More" menu: a disclosure that closes on Escape, on a choice, or outside.
  function setMenu(open) {
    $('more').setAttribute('aria-expanded', open ? 'true' : 'false');
    $('more-menu').hidden = !open;
    if (open) $('more-menu').querySelector('button').focus();
  }
  $('more').addEventListener('click', function () { setMenu($('more-menu').hidden); });
  doc.addEventListener('click', function (ev) {
    if (!$('more-menu').hidden && !ev.target.closest('.menu')) setMenu(false);
  });
  $('more-menu').addEventListener('keydown', function (ev) {
    var items = [].slice.call($('more-menu').querySelectorAll('button'));
    var i = items.indexOf(doc.activeElement);
    if (ev.key === 'Escape') { setMenu(false); $('more').focus(); ev.stopPropagation(); ev.preventDefault(); }
    else if (ev.key === 'ArrowDown') { items[(i + 1) % items.length].focus(); ev.preventDefault(); ev.stopPropagation(); }
    else if (ev.key === 'ArrowUp') { items[(i - 1 + items.length) % items.length].focus(); ev.preventDefault(); ev.stopPropagation(); }
  });

  // Help: a modal dialog listing every key; focus goes in and comes back.
  function openHelp() { openDialog($('help'), $('help-close')); }
  function closeHelp() { closeDialog($('help')); }
  $('help').addEventListener('close', function () {
    if (dialogReturn && dialogReturn.focus) dialogReturn.focus();
    dialogReturn = null;
  });
  $('open-help').addEventListener('click', openHelp);
  $('help-close').addEventListener('click', closeHelp);
  $('single-keys').addEventListener('change', function () {
    state.singleKeys = $('single-keys').checked;
    store('singleKeys', state.singleKeys ? 'on' : 'off');
  });

  // Keys act only while the diagram has focus: inside this page's app (or the page
  // itself, when nothing is focused). Form fields and buttons keep their own keys.
  function onKey(ev) {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var target = ev.target;
    if (target !== doc.body && target !== doc.documentElement && !app.contains(target)) return;
    if ($('help').open || $('embed').open) return; // dialogs handle their own keys
    if (!state.active) return; // an embedded diagram ignores keys until explored
    var tag = target.tagName;
    var field = tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || target.isContentEditable;
    var control = field || tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
    var k = ev.key;
    var handled = true;
    switch (k) {
      case 'ArrowRight':
      case 'PageDown':
        if (field) return;
        next();
        break;
      case 'ArrowLeft':
      case 'PageUp':
        if (field) return;
        prev();
        break;
      case 'Home':
        if (field) return;
        send('first');
        break;
      case 'End':
        if (field) return;
        send('last');
        break;
      case 'Escape':
        if (state.filling) setFilling(false);
        else if (!$('more-menu').hidden) setMenu(false);
        else handled = false; // the browser leaves full screen by itself
        break;
      default:
        handled = false;
        if (!state.singleKeys || control) break;
        handled = true;
        if (k === ' ' || k === 'Spacebar') next();
        else if (k === 'p' || k === 'P' || k === 'k' || k === 'K') togglePlay();
        else if (k === 'f' || k === 'F') toggleFullscreen();
        else if (k === '?' || k === 'h' || k === 'H') openHelp();
        else handled = false;
    }
    if (handled) ev.preventDefault();
  }
  doc.addEventListener('keydown', onKey);

  // --- export ------------------------------------------------------------------------

  var pendingExport = null;

  function exportTexts() {
    var texts = [t('parts.connectivism.title'), t('parts.cop.title'), t('parts.pln.title'), '', words ? words.title : ''];
    if (state.presenting && words && words.steps) {
      var s = words.steps[state.step - 1];
      texts[3] = s.title + ' — ' + s.caption;
    }
    return texts;
  }

  function requestSVG(then) {
    pendingExport = then;
    send('exportSVG', exportTexts());
  }

  function fileName(ext) {
    return 'connected-learning' + (state.presenting ? '-step-' + state.step : '') + '.' + ext;
  }

  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var a = el('a', { href: url, download: name });
    doc.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  $('download-svg').addEventListener('click', function () {
    setMenu(false);
    requestSVG(function (svg) { download(new Blob([svg], { type: 'image/svg+xml' }), fileName('svg')); });
  });

  // PNG: the same SVG rasterised by the browser, at the window's size times the
  // device pixel ratio, or twice that for print.
  function exportPNG(scale) {
    setMenu(false);
    requestSVG(function (svg) {
      var img = new Image();
      var url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
      img.onload = function () {
        var c = doc.createElement('canvas');
        c.width = Math.round(img.naturalWidth * scale);
        c.height = Math.round(img.naturalHeight * scale);
        c.getContext('2d').drawImage(img, 0, 0, c.width, c.height);
        URL.revokeObjectURL(url);
        c.toBlob(function (b) { if (b) download(b, fileName('png')); }, 'image/png');
      };
      img.onerror = function () { URL.revokeObjectURL(url); console.error('diagram: the picture could not be turned into a PNG'); };
      img.src = url;
    });
  }
  $('download-png').addEventListener('click', function () { exportPNG(window.devicePixelRatio || 1); });
  $('download-png-print').addEventListener('click', function () { exportPNG(2 * (window.devicePixelRatio || 1)); });

  // The test suite and host pages can ask for the export directly.
  bridge.exportSVG = function () { return new Promise(function (resolve) { requestSVG(resolve); }); };
  // The size of the program's memory, for the long-running test.
  var wasmMemory = null;
  bridge.memory = function () { return wasmMemory ? wasmMemory.buffer.byteLength : 0; };


  // --- embedding -----------------------------------------------------------------------

  var inFrame = false;
  try { inFrame = window.parent !== window; } catch (e) { inFrame = true; }

  if (opts.embed) {
    app.classList.add('embed');
    var explore = $('explore');
    explore.hidden = false;
    explore.addEventListener('click', function () { activate(true); });
    // A click or tap on the picture explores it too (and does what it does).
    app.addEventListener('pointerdown', function (ev) { if (!state.active && ev.target !== explore) activate(false); }, true);
    // Moving focus past the invitation to a control is a choice to explore too, and
    // the invitation must not sit over what has focus.
    app.addEventListener('focusin', function (ev) { if (!state.active && ev.target !== explore) activate(false); });
  }

  function activate(focusDiagram) {
    if (state.active) return;
    state.active = true;
    $('explore').hidden = true;
    app.classList.add('active');
    if (focusDiagram) {
      var first = $('present');
      if (first) first.focus();
    }
  }

  // Messages to the host page: plain objects, to the parent only.
  function post(event, extra) {
    if (!inFrame) return;
    var msg = { type: 'diagram:event', event: event, step: state.step, presenting: state.presenting, part: state.selection.part || null, height: preferredHeight() };
    if (extra) for (var k in extra) msg[k] = extra[k];
    try { window.parent.postMessage(msg, '*'); } catch (e) { /* no parent to tell */ }
  }

  // The height the diagram would like at its current width, for hosts that size
  // their frame to the content.
  function preferredHeight() {
    var w = doc.documentElement.clientWidth || 640;
    return Math.round(Math.max(200, Math.min(1400, w * 0.625)));
  }
  var lastHeight = 0;
  function postSize(force) {
    if (!inFrame || !state.ready) return;
    var h = preferredHeight();
    if (!force && h === lastHeight) return;
    lastHeight = h;
    post('resize');
    try { window.parent.postMessage({ subject: 'lti.frameResize', height: h }, '*'); } catch (e) { /* as above */ }
  }
  if (window.ResizeObserver) new ResizeObserver(function () { postSize(false); }).observe(doc.documentElement);

  var parts = ['connectivism', 'cop', 'pln', 'connections'];
  window.addEventListener('message', function (ev) {
    if (!inFrame || ev.source !== window.parent) return;
    var d = ev.data;
    var bad = function (why) { console.warn('diagram: message ignored: ' + why, d); };
    if (!d || typeof d !== 'object' || Array.isArray(d)) return bad('not a plain object');
    if (d.subject) return; // LMS protocol messages, not for us
    if (d.type !== 'diagram:command') return bad('type must be "diagram:command"');
    switch (d.command) {
      case 'next': send('next'); break;
      case 'prev': send('prev'); break;
      case 'goto':
        if (typeof d.step !== 'number' || d.step !== Math.floor(d.step) || d.step < 1 || d.step > total) return bad('goto needs step, a whole number from 1 to ' + total);
        send('goto', d.step);
        break;
      case 'select':
        if (d.part === null || d.part === '' || d.part === undefined) { send('select', ''); break; }
        if (parts.indexOf(d.part) < 0) return bad('select needs part: one of ' + parts.join(', ') + ', or null');
        send('select', d.part);
        break;
      case 'pause': setPlaying(false); break;
      case 'play': setPlaying(true); break;
      default: return bad('unknown command ' + JSON.stringify(d.command));
    }
  });

  // Scrolled out of view or in a hidden tab, the animation stops and nothing is
  // drawn; it resumes where it was.
  var onScreen = true;
  function sendVisible() {
    var v = onScreen && !doc.hidden;
    app.setAttribute('data-visible', v ? 'true' : 'false');
    send('visible', v ? 1 : 0);
  }
  if (window.IntersectionObserver) {
    new IntersectionObserver(function (entries) {
      onScreen = entries[entries.length - 1].isIntersecting;
      sendVisible();
    }).observe(app);
  }
  doc.addEventListener('visibilitychange', sendVisible);

  // The embed dialog builds the code for a course page.
  function siteURL() {
    if (manifest.baseURL) return manifest.baseURL;
    return location.href.split('#')[0].split('?')[0];
  }
  function embedQuery() {
    var q = new URLSearchParams();
    q.set('embed', '1');
    var st = $('embed-step').value;
    if (st !== '0') { q.set('present', '1'); q.set('step', st); }
    if ($('embed-profile').value === 'projector') q.set('colorProfile', 'projector');
    if ($('embed-lang').value) q.set('lang', $('embed-lang').value);
    if ($('embed-paused').checked) q.set('paused', '1');
    return q.toString();
  }
  function escAttr(s) { return String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;'); }
  function embedCode() {
    var src = siteURL() + '?' + embedQuery();
    return '<div style="position:relative;width:100%;max-width:1000px;height:0;padding-bottom:62.5%;margin:0 auto">\n' +
      '  <iframe src="' + escAttr(src) + '" title="' + escAttr(t('ui.frameTitle')) + '"' +
      ' allow="fullscreen" allowfullscreen loading="lazy"' +
      ' style="position:absolute;top:0;left:0;width:100%;height:100%;border:0"></iframe>\n</div>';
  }
  var previewTimer = 0;
  function renderEmbed() {
    $('embed-code').value = embedCode();
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () {
      var box = $('embed-preview');
      var src = location.href.split('#')[0].split('?')[0] + '?' + embedQuery();
      var f = box.querySelector('iframe');
      if (!f) {
        f = el('iframe', { title: t('ui.preview'), loading: 'lazy' });
        box.appendChild(f);
      }
      if (f.getAttribute('src') !== src) f.setAttribute('src', src);
    }, 250);
  }
  function fillEmbedOptions() {
    var st = $('embed-step');
    var keep = st.value || '0';
    st.textContent = '';
    st.appendChild(el('option', { value: '0' }, t('ui.embedWhole')));
    for (var i = 1; i <= total; i++) {
      st.appendChild(el('option', { value: String(i) }, t('ui.embedStepN', { step: i, title: words.steps[i - 1].title })));
    }
    st.value = keep;
    var lg = $('embed-lang');
    var keepL = lg.value;
    lg.textContent = '';
    lg.appendChild(el('option', { value: '' }, t('ui.embedLanguageAuto')));
    Object.keys(manifest.langNames || {}).sort().forEach(function (c) { lg.appendChild(el('option', { value: c }, manifest.langNames[c])); });
    lg.value = keepL;
  }
  var dialogReturn = null;
  function openDialog(d, focus) {
    // Focus comes back to where it was, or to the menu's button when the dialog
    // was opened from the menu (whose items are hidden by then).
    dialogReturn = $('more-menu').contains(doc.activeElement) ? $('more') : doc.activeElement;
    setMenu(false);
    if (typeof d.showModal === 'function') d.showModal(); else d.setAttribute('open', '');
    if (focus) focus.focus();
  }
  function closeDialog(d) {
    if (typeof d.close === 'function') d.close(); else d.removeAttribute('open');
  }
  $('embed').addEventListener('close', function () {
    var f = $('embed-preview').querySelector('iframe');
    if (f) f.remove(); // stop the preview's animation
    if (dialogReturn && dialogReturn.focus) dialogReturn.focus();
    dialogReturn = null;
  });
  $('open-embed').addEventListener('click', function () {
    fillEmbedOptions();
    $('embed-profile').value = state.profile;
    $('embed-copy').textContent = t('ui.copy');
    $('copy-status').textContent = '';
    renderEmbed();
    openDialog($('embed'), $('embed-step'));
  });
  ['embed-step', 'embed-profile', 'embed-lang', 'embed-paused'].forEach(function (id) {
    $(id).addEventListener('change', renderEmbed);
  });
  $('embed-close').addEventListener('click', function () { closeDialog($('embed')); });
  $('embed-copy').addEventListener('click', function () {
    var code = $('embed-code').value;
    var done = function () { $('copy-status').textContent = t('ui.copied'); };
    var fallback = function () {
      var ta = $('embed-code');
      ta.focus();
      ta.select();
      var ok = false;
      try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
      if (ok) done(); else $('copy-status').textContent = t('ui.copyFailed');
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(code).then(done, fallback);
    else fallback();
  });

  // --- languages and announcements -------------------------------------------------------

  function fillLanguages() {
    var sel = $('lang');
    sel.textContent = '';
    Object.keys(manifest.langNames || {}).sort().forEach(function (c) {
      var o = el('option', { value: c, lang: c }, manifest.langNames[c]);
      sel.appendChild(o);
    });
    sel.value = state.lang;
  }

  function loadLanguage(code) {
    return fetchText(manifest.lang[code]).then(function (s) {
      words = JSON.parse(s);
      state.lang = code;
      applyWords();
      fillLanguages();
      if ($('embed').open) { fillEmbedOptions(); renderEmbed(); }
    });
  }

  $('lang').addEventListener('change', function () {
    var code = $('lang').value;
    loadLanguage(code).then(function () {
      var q = new URLSearchParams(location.search);
      q.set('lang', code);
      setQuery(q);
      announce(manifest.langNames[code]);
    }, function (err) { console.error('diagram: language ' + code + ' could not be loaded:', err); });
  });

  // Announcements made together (a step change that also clears the selection)
  // are said once, as one message. The region is cleared first so that the same
  // words said twice are still announced.
  var pendingAnnounce = [];
  function announce(text) {
    if (!pendingAnnounce.length) {
      $('announce').textContent = '';
      setTimeout(function () {
        $('announce').textContent = pendingAnnounce.join(' ');
        pendingAnnounce = [];
      }, 30);
    }
    pendingAnnounce.push(text);
  }
  function announceStep() {
    if (!words) return;
    if (!state.presenting) { announce(t('heading')); return; }
    var s = words.steps[state.step - 1];
    announce(t('ui.announceStep', { step: state.step, total: total, title: s.title }) + '. ' + s.caption);
  }
  function announceSelection() {
    if (!words) return;
    var sel = state.selection;
    if (!sel.part) {
      // A step change that hides the selected part says the step, not this.
      if (!pendingAnnounce.length) announce(t('ui.announceClear'));
      return;
    }
    var title = t('parts.' + sel.part + '.title');
    if (sel.person >= 0 && memberWords(sel).name) title = memberWords(sel).name;
    announce(t('ui.announceSelect', { title: title }));
  }

  // --- start -----------------------------------------------------------------------

  function fetchText(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
      return r.text();
    });
  }

  // Download the wasm while counting its bytes (the page knows the uncompressed
  // size, written in by the build, so the bar shows true progress whatever the
  // encoding), and compile it as it arrives. (The page's head preloads it, so the
  // request is under way long before this runs.) The compiler reads the response
  // itself and the bar counts a copy, so a busy page never holds the download
  // back; a host that labels the wasm with another type has it relabelled.
  function loadWasm(url, size, imports) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      if (!r.body || !r.clone || !WebAssembly.instantiateStreaming) {
        return r.arrayBuffer().then(function (b) { progress(1, 1); return WebAssembly.instantiate(b, imports); });
      }
      var reader = r.clone().body.getReader(), seen = 0;
      var count = function () {
        reader.read().then(function (x) {
          if (x.done) return;
          seen += x.value.length;
          progress(seen, size);
          count();
        }, function () {});
      };
      count();
      if (!/^application\/wasm\b/.test(r.headers.get('Content-Type') || '')) {
        r = new Response(r.body, { headers: { 'Content-Type': 'application/wasm' } });
      }
      return WebAssembly.instantiateStreaming(r, imports);
    });
  }

  function webgl2() {
    try {
      var c = doc.createElement('canvas');
      return !!(c.getContext('webgl2'));
    } catch (e) {
      return false;
    }
  }

  function start() {
    if (opts.colorProfile === 'projector') doc.documentElement.classList.add('projector');
    if (window.matchMedia) {
      // Follow the system setting while the address does not fix it.
      var mq = matchMedia('(prefers-reduced-motion: reduce)');
      var onChange = function () {
        if (opts.motion) return;
        reducedMotion = mq.matches;
        send('motion', reducedMotion ? 1 : 0);
        if (reducedMotion && state.playing) togglePlay();
      };
      if (mq.addEventListener) mq.addEventListener('change', onChange);
    }
    renderStep();
    renderControls();
    var lang = pickLanguage();
    var wordsP = loadLanguage(lang);
    var contentP = fetchText(manifest.content).catch(function (err) {
      err.content = true;
      throw err;
    }).then(function (s) {
      bridge.content = s;
      try { content = JSON.parse(s); } catch (e) { content = null; }
      renderPanel();
      renderDescription();
    });
    placeLabels();

    if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
      return wordsP.then(function () { showError(t('ui.errorNoWasm'), 'WebAssembly is not available in this browser.', false); });
    }
    if (!webgl2()) {
      return wordsP.then(function () { showError(t('ui.errorNoWebGL'), 'WebGL 2 is not available: canvas.getContext("webgl2") returned null.', false); });
    }
    if (typeof Go !== 'function') {
      return wordsP.then(function () { showError(t('ui.errorLoad', { reason: 'wasm_exec.js did not load' }), '', true); });
    }
    var go = new Go();
    var wasmP = loadWasm(manifest.wasm, manifest.wasmSize, go.importObject);
    Promise.all([wordsP, contentP, wasmP]).then(function (r) {
      progress(1, 1);
      var inst = r[2].instance;
      wasmMemory = inst.exports.mem || null;
      go.run(inst).then(function () {
        // main returned: only after a fatal error, which it reported already.
        goExited = true;
      });
      if (go.exited) goExited = true;
      connect(); // if the program did not call it (it does, before its first frame)
    }).catch(function (err) {
      var reason = err && err.message ? err.message : String(err);
      wordsP.then(function () {}, function () {}).then(function () {
        if (err && err.content) showError(t('ui.errorContentLoad', { reason: reason }) || ('The diagram’s content could not be loaded (' + reason + ').'), reason, true);
        else showError(t('ui.errorLoad', { reason: reason }) || ('The diagram’s program could not be downloaded (' + reason + ').'), reason, true);
      });
    });
  }

  start();
})();
