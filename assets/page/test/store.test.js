import { test, assert } from './runner.js';
import { createStore, watch } from '../store.js';

test('store: setState merges and tells listeners (state, prev)', () => {
  const s = createStore({ a: 1, b: 2 });
  const calls = [];
  s.subscribe((st, prev) => calls.push([st, prev]));
  s.setState({ a: 3 });
  assert.deepEqual(s.getState(), { a: 3, b: 2 });
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0][1], { a: 1, b: 2 }, 'prev');
  assert.ok(calls[0][0] === s.getState(), 'the listener gets the new state');
});

test('store: a change that changes nothing is skipped', () => {
  const s = createStore({ a: 1, n: NaN, o: null });
  let n = 0;
  s.subscribe(() => n++);
  s.setState({ a: 1 });
  s.setState({ n: NaN }); // Object.is: NaN is NaN
  s.setState({});
  s.setState(null);
  s.setState((st) => st);
  s.setState(() => null);
  assert.equal(n, 0);
  const before = s.getState();
  s.setState({ a: 1 });
  assert.ok(s.getState() === before, 'the state object is kept');
  s.setState({ a: 2, o: null });
  assert.equal(n, 1);
});

test('store: setState takes a function of the state', () => {
  const s = createStore({ n: 1 });
  s.setState((st) => ({ n: st.n + 1 }));
  s.setState((st) => ({ n: st.n * 10 }));
  assert.equal(s.getState().n, 20);
});

test('store: subscribe returns its unsubscribe', () => {
  const s = createStore({ n: 0 });
  let a = 0, b = 0;
  const offA = s.subscribe(() => a++);
  s.subscribe(() => b++);
  s.setState({ n: 1 });
  offA();
  s.setState({ n: 2 });
  assert.equal(a, 1);
  assert.equal(b, 2);
});

test('watch: called on a change of the picked value only, with (value, prev)', () => {
  const s = createStore({ a: 1, b: 1 });
  const seen = [];
  watch(s, (st) => st.a, (v, p) => seen.push([v, p]), { init: true });
  s.setState({ b: 2 });
  s.setState({ a: 5 });
  s.setState({ a: 5, b: 3 });
  assert.deepEqual(seen, [[1, undefined], [5, 1]]);
});
