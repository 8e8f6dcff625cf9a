package proto

// Reason names why a request was refused or a connection ended. It is the code of
// an Error message and, when the connection ends, the close frame's reason text.
type Reason string

// The reasons, one table: the close status the server ends a connection with for
// each (0 when the reason never ends one), and whether the page should connect
// again by itself.
const (
	ReasonBadMessage    Reason = "bad-message"    // not a message of this protocol, or a bad field
	ReasonUnknownCode   Reason = "unknown-code"   // no room has this join code (or it is not one)
	ReasonRoomFull      Reason = "room-full"      // the room has its maximum of members
	ReasonRoomEnded     Reason = "room-ended"     // the presenter ended the session, or it expired
	ReasonJoiningClosed Reason = "joining-closed" // the presenter closed joining
	ReasonRemoved       Reason = "removed"        // the presenter removed this member
	ReasonReplaced      Reason = "replaced"       // a newer presenter connection took control
	ReasonNotAllowed    Reason = "not-allowed"    // a wrong secret, or a command this role may not send
	ReasonRateLimited   Reason = "rate-limited"   // too many messages; Error.Retry says when to try again
	ReasonTooSlow       Reason = "too-slow"       // the page did not read its messages fast enough
	ReasonServerFull    Reason = "server-full"    // this server holds its maximum of rooms or connections
	ReasonTimeout       Reason = "timeout"        // no first message in time, or no answer to pings
	ReasonBadName       Reason = "bad-name"       // a display name too long once normalised
	ReasonRestart       Reason = "restart"        // the server is restarting: connect again
	ReasonUnavailable   Reason = "unavailable"    // the server cannot reach its message system
	ReasonInternal      Reason = "internal"       // a fault in the server
	ReasonTooBig        Reason = "too-big"        // a message over MaxMessage bytes
	ReasonLeft          Reason = "left"           // the member left (the normal end)
)

// ReasonInfo is one row of the table of reasons.
type ReasonInfo struct {
	Reason Reason `json:"reason"`
	// Close is the WebSocket close status of a connection ended for this reason;
	// 0 when the reason only refuses one message.
	Close int `json:"close"`
	// Reconnect: the page should connect again by itself (with backoff and jitter),
	// and will get a fresh snapshot. Otherwise it tells the user and waits for them.
	Reconnect bool   `json:"reconnect"`
	Meaning   string `json:"meaning"`
}

// Reasons is the table of reasons and close codes, in one place. Statuses 4000 to
// 4999 are the application's own (RFC 6455 §7.4.2); the others are the RFC's.
var Reasons = []ReasonInfo{
	{ReasonLeft, 1000, false, "the member left; the normal end of a connection"},
	{ReasonBadMessage, 4000, false, "the first message was not open, present or join, or was malformed; later bad messages are only refused"},
	{ReasonUnknownCode, 4001, false, "no room has this join code"},
	{ReasonRoomFull, 4002, false, "the room has its maximum of members"},
	{ReasonRoomEnded, 4003, false, "the session ended (by the presenter, or it expired when idle)"},
	{ReasonJoiningClosed, 4004, false, "the presenter closed joining; members already in stay"},
	{ReasonRemoved, 4005, false, "the presenter removed this member"},
	{ReasonReplaced, 4006, false, "another presenter connection with the secret took control"},
	{ReasonNotAllowed, 4007, false, "a wrong presenter secret ends the connection; a command the role may not send is only refused"},
	{ReasonRateLimited, 4008, true, "too many messages: refused one by one (Error.retry), the connection ends if it goes on"},
	{ReasonTooSlow, 4009, true, "the page's queue of messages overflowed: connect again for a fresh snapshot"},
	{ReasonServerFull, 4010, true, "the server holds its maximum of rooms or connections; try again later"},
	{ReasonTimeout, 4011, true, "no first message within the time allowed, or no answer to pings"},
	{ReasonBadName, 0, false, "a display name longer than the maximum once normalised; the name is unchanged"},
	{ReasonTooBig, 1009, true, "a message over the size limit"},
	{ReasonInternal, 1011, true, "a fault in the server"},
	{ReasonRestart, 1012, true, "the server is restarting or shutting down: connect again (another server may answer)"},
	{ReasonUnavailable, 1013, true, "the server cannot reach its message system: try again later"},
}

// Info returns the row of r; ok is false for a reason not in the table.
func (r Reason) Info() (ReasonInfo, bool) {
	for _, i := range Reasons {
		if i.Reason == r {
			return i, true
		}
	}
	return ReasonInfo{}, false
}

// Close is the close status of a connection ended for r (1011 for an unknown one).
func (r Reason) Close() int {
	if i, ok := r.Info(); ok && i.Close != 0 {
		return i.Close
	}
	return 1011
}

// ReasonForClose maps a close status back to its reason.
func ReasonForClose(status int) (Reason, bool) {
	for _, i := range Reasons {
		if i.Close == status {
			return i.Reason, true
		}
	}
	return "", false
}
