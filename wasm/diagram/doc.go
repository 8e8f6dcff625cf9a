// Package diagram is the model of the connected-learning diagram: its content, its
// layout, the gears of the brain, the people of the two rings, the pulses that carry
// connections back to the brain, the guided steps, hit-testing, and an SVG writer.
//
// Invariants:
//   - It imports neither ebiten nor syscall/js, so it builds and tests natively and the
//     build pipeline can render the same scene to SVG without a GPU.
//   - It is deterministic: the scene after N ticks is a pure function of N and of the
//     inputs applied so far (commands, pointer positions, viewport sizes).
//   - Advancing a tick and building a frame's display list allocate nothing once the
//     scene is laid out; buffers are reused.
//   - It never holds words shown to people: those live in the language files and in
//     HTML. Its outputs are shapes, colours and anchor points for the page's labels.
package diagram
