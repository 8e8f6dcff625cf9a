import { test, assert, fixtures } from './runner.js';
import { createFacts } from '../facts.js';
import { parseOptions, pickLanguage, chooseLanguage } from '../options.js';

const parse = (search) => {
  const warnings = [];
  const o = parseOptions(search, createFacts(fixtures().manifest), (w) => warnings.push(w));
  return [o, warnings];
};

test('options: defaults come from the manifest', () => {
  const [o, w] = parse('');
  assert.deepEqual(o, { present: false, step: 1, colorProfile: 'dark', lang: '', motion: '', paused: false, speed: 1, embed: false });
  assert.equal(w.length, 0);
});

test('options: every valid value is taken', () => {
  const [o, w] = parse('?present=1&step=3&colorProfile=projector&lang=fr&motion=reduce&paused=1&speed=0.5&embed=1');
  assert.deepEqual(o, { present: true, step: 3, colorProfile: 'projector', lang: 'fr', motion: 'reduce', paused: true, speed: 0.5, embed: true });
  assert.equal(w.length, 0);
});

test('options: ?step alone opens the presentation; ?present=0 keeps it closed', () => {
  assert.deepEqual([parse('?step=4')[0].present, parse('?step=4')[0].step], [true, 4]);
  assert.deepEqual([parse('?present=0&step=4')[0].present, parse('?present=0&step=4')[0].step], [false, 4]);
});

test('options: flags take yes and no in several spellings', () => {
  for (const v of ['1', '', 'true', 'yes']) assert.equal(parse('?paused=' + v)[0].paused, true, 'paused=' + v);
  for (const v of ['0', 'false', 'no']) assert.equal(parse('?paused=1&paused=' + v)[0].paused, true, 'the first value counts');
  for (const v of ['0', 'false', 'no']) assert.equal(parse('?embed=' + v)[0].embed, false, 'embed=' + v);
});

test('options: a bad value is ignored with a warning that says what is allowed', () => {
  const total = fixtures().manifest.steps;
  for (const [q, field, want, says] of [
    ['?step=' + (total + 1), 'step', 1, 'from 1 to ' + total],
    ['?step=0', 'step', 1, 'from 1 to'],
    ['?step=2.5', 'step', 1, 'from 1 to'],
    ['?step=two', 'step', 1, 'from 1 to'],
    ['?colorProfile=neon', 'colorProfile', 'dark', 'dark or projector'],
    ['?lang=de', 'lang', '', 'en, es, fr'],
    ['?speed=3', 'speed', 1, '0.5, 1 or 2'],
    ['?motion=sideways', 'motion', '', 'full or reduce'],
    ['?paused=maybe', 'paused', false, '1 or 0'],
  ]) {
    const [o, w] = parse(q);
    assert.equal(o[field], want, q);
    assert.equal(w.length, 1, q + ' warns once');
    assert.ok(w[0].indexOf(says) >= 0 && w[0].indexOf('diagram: ignoring ' + q.split('=')[0]) === 0, q + ' says ' + says + ': ' + w[0]);
  }
  assert.equal(parse('?step=' + (total + 1))[0].present, false, 'a bad step does not open the presentation');
});

test('options: unknown parameters are left alone', () => {
  const [o, w] = parse('?utm_source=lms&test=x');
  assert.equal(o.present, false);
  assert.equal(w.length, 0);
});

test('pickLanguage: the address, else the browser, else English', () => {
  const langs = ['en', 'es', 'fr'];
  assert.equal(pickLanguage('es', ['fr-CA'], langs), 'es');
  assert.equal(pickLanguage('', ['de-DE', 'fr-CA', 'en'], langs), 'fr');
  assert.equal(pickLanguage('', ['de', 'it'], langs), 'en');
  assert.equal(pickLanguage('', [], langs), 'en');
});

test('chooseLanguage: the address, else the navigator\'s languages, else its language', () => {
  const langs = ['en', 'es', 'fr'];
  assert.equal(chooseLanguage({ lang: 'es' }, { languages: ['fr'] }, langs), 'es');
  assert.equal(chooseLanguage({ lang: '' }, { languages: ['de', 'fr-FR'], language: 'es' }, langs), 'fr');
  assert.equal(chooseLanguage({ lang: '' }, { languages: [], language: 'es-MX' }, langs), 'es');
  assert.equal(chooseLanguage({ lang: '' }, {}, langs), 'en');
});
