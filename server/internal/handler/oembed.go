package handler

import "net/http"

// serveOEmbed answers oEmbed discovery requests (issue: embedding). Until the
// provider is built it reports that the endpoint is not implemented.
func (h *Handler) serveOEmbed(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "oEmbed is not available yet", http.StatusNotImplemented)
}
