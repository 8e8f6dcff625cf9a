// Package cluster holds the tests of the live classroom past one machine: on
// 127.0.0.1 only, three nats-server processes clustered with JetStream (built
// from the module version go.mod pins), two diagram servers (the real binary,
// built by the tests) on that cluster, and Debian's Caddy in front of both,
// with Go clients (liveclient) that behave as the page does. Faults are real:
// kill -9, SIGTERM, a NATS node lost and the whole cluster stopped.
//
// Every process the tests start is in its own process group and is stopped by
// t.Cleanup, also when a test fails; the ports are free ones picked at random;
// every wait is on a condition, bounded generously for a busy 2-core machine.
package cluster
