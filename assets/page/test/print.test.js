import { test, assert, fixtures } from './runner.js';
import { publicAddress, reference } from '../print.js';
import { pictureWords, exportTexts } from '../export.js';
import { createFacts } from '../facts.js';

// A document with (or without) the oEmbed discovery link the server puts in the
// page's head.
const docWith = (href) => {
  const d = document.implementation.createHTMLDocument('x');
  if (href != null) {
    const l = d.createElement('link');
    l.setAttribute('rel', 'alternate');
    l.setAttribute('type', 'application/json+oembed');
    l.setAttribute('href', href);
    d.head.appendChild(l);
  }
  return d;
};
const loc = (href) => ({ href });

test('print: the public address is the manifest\'s, else the discovery link\'s, else the page\'s own', () => {
  const link = 'https://example.edu/diagram/oembed?format=json&url=https%3A%2F%2Fexample.edu%2Fdiagram%2F';
  assert.equal(publicAddress(docWith(link), loc('http://10.0.0.11:8080/?lang=fr'), { baseURL: 'https://site.example/d/' }), 'https://site.example/d/');
  assert.equal(publicAddress(docWith(link), loc('http://10.0.0.11:8080/?lang=fr'), {}), 'https://example.edu/diagram/');
  // An embedded page: its frame's address, without the embed options or a live fragment.
  assert.equal(publicAddress(docWith(null), loc('https://example.edu/diagram/?embed=1&step=2#live=K7QX2M.s'), {}), 'https://example.edu/diagram/');
  // Nothing to name from a file or a malformed link's junk.
  assert.equal(publicAddress(docWith('oembed?url=javascript%3Aalert(1)'), loc('file:///tmp/index.html'), { baseURL: 'javascript:x' }), '');
});

test('print: a reference says author, year, title, publisher and address, as far as they are known', () => {
  const li = reference({ author: 'Kegan Remington', year: 2015, title: 'Connectivism: Learning as a Community', publisher: 'Designed:2:Learn', url: 'https://example.org/c' });
  assert.equal(li.textContent, 'Kegan Remington (2015). Connectivism: Learning as a Community. Designed:2:Learn. https://example.org/c');
  assert.equal(li.querySelector('cite').textContent, 'Connectivism: Learning as a Community');
  assert.equal(reference({ author: 'Allison Rossett', year: 2012, title: 'The Connected Educator' }).textContent, 'Allison Rossett (2012). The Connected Educator.');
});

test('export: a picture carries the step\'s heading and caption while presenting, the diagram\'s otherwise', () => {
  const fx = fixtures();
  const facts = createFacts(fx.manifest);
  const words = fx.words.fr;
  const st = { words, presenting: true, step: 4 };
  const p = pictureWords(st, facts);
  assert.equal(p.heading, 'Étape 4 sur 6\u00a0: ' + words.steps[3].title, 'heading');
  assert.equal(p.caption, words.steps[3].caption);
  assert.equal(p.labels.length, 3);
  assert.ok(p.labels.every((l) => l.length > 0), 'three labels');
  const whole = pictureWords({ words, presenting: false, step: 6 }, facts);
  assert.equal(whole.heading, words.heading);
  assert.equal(whole.caption, words.subheading);
  const texts = exportTexts(p, { bands: false, idPrefix: 'print-' });
  assert.deepEqual(texts.slice(3), ['', words.title, '', 'print-'], 'print: no bands, the prefix last');
  assert.deepEqual(exportTexts(p).slice(3), [p.caption, words.title, p.heading, ''], 'download: caption, title, heading');
});
