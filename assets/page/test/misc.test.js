import { test, assert, fixtures } from './runner.js';
import { embedCode } from '../embed.js';
import { messageOf } from '../errors.js';

test('embed: the code keeps the diagram\'s shape and escapes what it quotes', () => {
  const code = embedCode('https://x.example/d/?embed=1&lang=fr', 'A "title" <b>', fixtures().manifest.aspectRatio);
  assert.ok(code.indexOf('padding-bottom:62.5%') > 0, code);
  assert.ok(code.indexOf('src="https://x.example/d/?embed=1&amp;lang=fr"') > 0, code);
  assert.ok(code.indexOf('title="A &quot;title&quot; &lt;b>"') > 0, code);
  for (const a of ['allow="fullscreen"', 'loading="lazy"']) assert.ok(code.indexOf(a) > 0, a);
});

test('errors: each failure is said for what it is', () => {
  const w = fixtures().words.en;
  const content = messageOf(w, { kind: 'content', detail: 'cop.people: 40 is out of range' });
  const program = messageOf(w, { kind: 'program', detail: 'webgl2 is not available' });
  assert.equal(content[0], w.ui.errorContent);
  assert.equal(program[0], w.ui.errorProgram);
  assert.ok(program[0] !== content[0] && program[0].indexOf('content') < 0, 'a program failure is not a content problem');
  assert.equal(program[1], 'webgl2 is not available');
  assert.ok(messageOf(w, { kind: 'load', detail: 'HTTP 404' })[0].indexOf('HTTP 404') > 0);
  assert.ok(messageOf(null, { kind: 'program', detail: 'x' })[0].length > 0, 'said even without words');
});
