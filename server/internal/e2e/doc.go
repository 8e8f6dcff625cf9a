// Package e2e holds the browser tests: the real server binary serving the real
// built site to a real headless Chromium, driven with chromedp. Nothing is mocked.
//
// The tests need Chromium (apt-get install chromium). Without it they are skipped
// with a note, except when CI=true, where a missing Chromium fails the run.
// Screenshots are written to dist/test-artifacts/ for people to look at.
package e2e
