// Command bench measures the diagram against baselines, side by side in one run,
// and prints one table (also written as JSON and Markdown to dist/bench/):
//
//	go run ./server/cmd/bench [-runs 5] [-only download,ttff,explore,tbt,fps,idle,tick,server,build,live]
//
// Every row is a ratio of runs interleaved in this command (medians of at least
// five), because machines here are shared and noisy. It installs what it needs
// (Chromium, wrk, nginx with its brotli module, Caddy) through apt when missing,
// runs every server on loopback, and stops everything it started.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Row is one line of the table.
type Row struct {
	Name     string  `json:"name"`
	Unit     string  `json:"unit"`
	Baseline string  `json:"baseline"`
	Base     float64 `json:"baselineValue"`
	Value    float64 `json:"value"`
	Ratio    float64 `json:"ratio"`
	Target   string  `json:"target"`
	Pass     bool    `json:"pass"`
	Info     bool    `json:"info,omitempty"` // reported, without a target
	Note     string  `json:"note,omitempty"`
}

var (
	runs   = flag.Int("runs", 5, "runs per measurement (medians; at least 5)")
	only   = flag.String("only", "", "comma-separated rows to run (download,ttff,explore,tbt,fps,idle,tick,server,build,live); all by default")
	outDir = flag.String("out", "dist/bench", "where to write bench.json and bench.md")
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("bench: ")
	flag.Parse()
	if *runs < 5 {
		fatal("-runs must be at least 5")
	}
	want := func(name string) bool { return *only == "" || strings.Contains(","+*only+",", ","+name+",") }
	root, err := os.Getwd()
	if err != nil {
		fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		fatal("run from the repository root")
	}
	env := &bench{root: root, runs: *runs}
	defer env.cleanup()
	atExit = env.cleanup

	var rows []Row
	if want("tick") {
		rows = append(rows, env.tick()...)
	}
	if want("build") {
		rows = append(rows, env.build())
	}
	needBrowser := want("download") || want("ttff") || want("explore") || want("tbt") || want("fps") || want("idle")
	if needBrowser || want("server") {
		env.prepare(needBrowser, want("server"))
	}
	if needBrowser {
		rows = append(rows, env.browserRows(want)...)
	}
	if want("server") {
		rows = append(rows, env.serverRows()...)
	}
	if want("live") {
		rows = append(rows, env.liveRows()...)
	}
	report(rows)
}

// atExit stops what the bench started; fatal runs it, since os.Exit (and so
// log.Fatal) skips deferred calls and would leave servers, nginx and Caddy
// running after a failed run.
var atExit = func() {}

func fatalf(format string, args ...any) {
	log.Printf(format, args...)
	atExit()
	os.Exit(1)
}

func fatal(args ...any) { fatalf("%s", fmt.Sprint(args...)) }

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func report(rows []Row) {
	var b strings.Builder
	fmt.Fprintf(&b, "| measure | baseline | baseline value | this project | ratio | target | |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		mark := "ok"
		if r.Info {
			mark = "info"
		} else if !r.Pass {
			mark = "MISSED"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %.3f | %s | %s |\n", r.Name, r.Baseline, format(r.Base, r.Unit), format(r.Value, r.Unit), r.Ratio, r.Target, mark)
	}
	for _, r := range rows {
		if r.Note != "" {
			fmt.Fprintf(&b, "\n- %s: %s", r.Name, r.Note)
		}
	}
	b.WriteString("\n")
	fmt.Print(b.String())
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		fatal(err)
	}
	host, _ := os.Hostname()
	head := fmt.Sprintf("# Benchmarks\n\n%s on %s, %d runs per measure (medians), `make bench`.\n\n", time.Now().UTC().Format("2006-01-02 15:04 MST"), host, *runs)
	os.WriteFile(filepath.Join(*outDir, "bench.md"), []byte(head+b.String()), 0o644)
	j, _ := json.MarshalIndent(map[string]any{"date": time.Now().UTC(), "runs": *runs, "rows": rows}, "", "  ")
	os.WriteFile(filepath.Join(*outDir, "bench.json"), j, 0o644)
	log.Printf("wrote %s/bench.json and bench.md", *outDir)
}

func format(v float64, unit string) string {
	switch unit {
	case "bytes":
		return fmt.Sprintf("%.0f B (%.2f MB)", v, v/1e6)
	case "ms":
		switch {
		case v < 10:
			return fmt.Sprintf("%.2f ms", v)
		case v < 100:
			return fmt.Sprintf("%.1f ms", v)
		}
		return fmt.Sprintf("%.0f ms", v)
	case "msf":
		return fmt.Sprintf("%.2f ms", v)
	case "ns":
		return fmt.Sprintf("%.0f ns", v)
	case "s":
		return fmt.Sprintf("%.2f s", v)
	case "fps":
		return fmt.Sprintf("%.1f fps", v)
	case "rps":
		return fmt.Sprintf("%.0f req/s", v)
	case "µs":
		return fmt.Sprintf("%.1f µs", v)
	case "cpu":
		return fmt.Sprintf("%.2f s CPU", v)
	}
	return fmt.Sprintf("%g %s", v, unit)
}

// aptInstall installs Debian packages whose command is missing.
func aptInstall(cmds map[string]string) {
	var pkgs []string
	for cmd, pkg := range cmds {
		if strings.HasPrefix(cmd, "/") {
			if _, err := os.Stat(cmd); err == nil {
				continue
			}
		} else if _, err := exec.LookPath(cmd); err == nil {
			continue
		}
		pkgs = append(pkgs, strings.Fields(pkg)...)
	}
	if len(pkgs) == 0 {
		return
	}
	sort.Strings(pkgs)
	log.Printf("installing %s through apt", strings.Join(pkgs, " "))
	sudo := []string{}
	if os.Geteuid() != 0 {
		sudo = []string{"sudo"}
	}
	run := func(args ...string) {
		cmd := exec.Command(append(sudo, args...)[0], append(sudo, args...)[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("apt-get", "update", "-qq")
	run(append([]string{"apt-get", "install", "-y", "-qq", "--no-install-recommends"}, pkgs...)...)
}
