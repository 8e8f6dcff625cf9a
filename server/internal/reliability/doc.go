// Package reliability holds the server's robustness tests: sustained load, slow
// clients, and shutdown under load, against the real server binary serving the
// real built site on loopback. They are bounded in time and connection count.
package reliability
