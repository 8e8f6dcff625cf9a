// The options in the page's address, checked against the manifest's list of them
// (written by the model). A bad value falls back to the default with a warning;
// the page never fails on one.

export function parseOptions(search, facts, warn = (msg) => console.warn(msg)) {
  let q;
  try { q = new URLSearchParams(search); } catch (e) { q = new URLSearchParams(''); }
  const total = facts.steps;
  const def = (name) => (facts.option(name) || {}).default || '';
  // '' for the colours is the model's own default; the first step and the normal
  // speed are 1.
  const o = { present: false, step: +def('step') || 1, colorProfile: def('colorProfile'), lang: '', motion: '', paused: false, speed: +def('speed') || 1, embed: false };
  const bad = (name, value, why) => warn('diagram: ignoring ?' + name + '=' + JSON.stringify(value) + ': ' + why);
  const list = (vs) => vs.join(', ').replace(/, ([^,]*)$/, ' or $1');
  const read = (name) => {
    const opt = facts.option(name);
    if (!opt || !q.has(name)) return null;
    const v = q.get(name);
    if (opt.flag) {
      if ((opt.values || []).indexOf(v) >= 0) return true;
      if ((opt.off || []).indexOf(v) >= 0) return false;
      bad(name, v, 'use 1 or 0');
      return null;
    }
    if ((opt.values || []).indexOf(v) >= 0) return v;
    const why = {
      step: 'use a step number from 1 to ' + total,
      lang: 'available languages are ' + (opt.values || []).join(', '),
    }[name] || 'use ' + list(opt.values || []);
    bad(name, v, why);
    return null;
  };
  const present = read('present');
  if (present !== null) o.present = present;
  const step = read('step');
  if (step !== null) {
    o.step = +step;
    // ?step=N alone opens the presentation; ?present=0&step=N does not.
    o.present = o.present || present === null;
  }
  const profile = read('colorProfile');
  if (profile !== null) o.colorProfile = profile;
  const lang = read('lang');
  if (lang !== null) o.lang = lang;
  const motion = read('motion');
  if (motion !== null) o.motion = motion;
  const paused = read('paused');
  if (paused !== null) o.paused = paused;
  const embed = read('embed');
  if (embed !== null) o.embed = embed;
  const speed = read('speed');
  if (speed !== null) o.speed = +speed;
  return o;
}

// pickLanguage chooses the language: the address's, else the first of the
// browser's that the site has, else English.
export function pickLanguage(asked, browserLanguages, available) {
  if (asked) return asked;
  for (const l of browserLanguages || []) {
    const code = String(l).toLowerCase().split('-')[0];
    if (available.indexOf(code) >= 0) return code;
  }
  return 'en';
}

// chooseLanguage is the page's language: the address's option, else the browser's
// languages (nav is the navigator), else English.
export function chooseLanguage(opts, nav, available) {
  const browser = nav.languages && nav.languages.length ? nav.languages : [nav.language || 'en'];
  return pickLanguage(opts.lang, browser, available);
}
