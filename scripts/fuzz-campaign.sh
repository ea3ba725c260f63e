#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The libFuzzer campaign (docs/fuzzing.md): runs the fuzz targets of a `fuzz` preset build
# one at a time, at nice 19, each for a fixed time, records what each run did in
# docs/fuzzing-runs.tsv (one line a run; later runs add to the cumulative time), then
# merges what the run found into the committed corpus tests/fuzz/corpus/<name>/.
#
#   scripts/fuzz-campaign.sh [-t SECONDS] [--until HH:MM] [--no-merge] [--fresh] [target ...]
#   scripts/fuzz-campaign.sh --summary        (cumulative minutes and executions per target)
#
# Defaults: every target, 1200 s each. --until (UTC) shortens the last runs so that all
# fuzzing and merging is over by then, and skips the targets that would get under 2 minutes.
# A target named again runs again (request request request: three runs, one after the
# other). --fresh starts each run's working corpus from the committed one alone, which
# the runs before it merged into: the working corpus grows with inputs of up to -max_len
# bytes and the target slows with it (request: ~8,000 executions a second on the
# committed corpus, ~3,500 half an hour on), so runs of a quarter of an hour from the
# merged corpus search more inputs an hour, as a fuzzing service prunes its corpus
# between sessions.
#
# Build first: cmake --preset fuzz && cmake --build --preset fuzz -j2 --target <name>_fuzz ...
# Working corpora, logs and libFuzzer's artifacts (crash-*, leak-*, timeout-*, oom-*)
# stay under build/fuzz-campaign/.
set -uo pipefail
cd "$(dirname "$0")/.."
# nice 19 (below) orders processes within one scheduling autogroup only: with
# kernel.sched_autogroup_enabled, a campaign started in a session of its own (`setsid
# scripts/fuzz-campaign.sh ...`, as for a run in the background) would share the cores
# half and half with a build at nice 0 in another. Then the group's own nice makes it
# yield to the rest of the machine; a campaign in the caller's session leaves that
# session's group alone.
if [ "$(ps -o sid= -p $$ | tr -d ' ')" = "$$" ] && [ -w /proc/self/autogroup ]; then
  echo 19 > /proc/self/autogroup 2>/dev/null
fi

build=${FUZZ_BUILD:-build/fuzz}
# The working corpora, logs and artifacts. Two runs of the same target at once need one
# each (FUZZ_WORK): a run's merge reads its working corpus file by file, and a run still
# fuzzing in the same folder replaces files under it (libFuzzer's REDUCE), so the merge
# finds one gone, exits and is started again, forever.
work=${FUZZ_WORK:-build/fuzz-campaign}
results=${FUZZ_RESULTS:-docs/fuzzing-runs.tsv}
seconds=1200
merge=1
fresh=0
until_epoch=""
# The longest input libFuzzer makes. The committed corpora hold 200 KB nesting bombs
# (replayed whole by ctest); the parsers' limits (nesting 128, frame 4096 bytes) sit far
# below this, and short inputs keep the executions per second up.
max_len=${FUZZ_MAX_LEN:-16384}
# Per input: a wall-clock timeout, and memory well beyond what a bounded parser needs
# (ASan's shadow and quarantine included); one allocation past the malloc limit is a finding.
# The timeout is wall-clock: at nice 19 beside a build that holds every core, a run gets
# about 1.5% of a core and a 40 ms input can pass it. Replay a timeout artifact at normal
# priority before calling it a finding.
timeout_s=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-1536}
malloc_mb=${FUZZ_MALLOC_MB:-512}
# A merged corpus past this many files is reported: ctest replays it on every build.
corpus_warn=${FUZZ_CORPUS_WARN:-500}
# UBSan's report with its stack (the build makes every UBSan finding fatal).
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

header="date_utc	target	commit	wall_s	user_s	sys_s	execs	exec_per_s	cov	ft	corpus_seed	corpus_work	corpus_committed	crashes	leaks	timeouts	ooms	peak_rss_mb	load1	result"

count_files() { find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l; }

summary() {
  [ -f "$results" ] || { echo "fuzz-campaign: no runs recorded yet ($results)"; exit 0; }
  # Cumulative per target, as the Markdown table of docs/fuzzing.md: minutes of wall and
  # of CPU time, executions, the last run's coverage, the committed corpus, the findings.
  # "name files" for every target, its committed corpus counted now.
  local all
  all=$(for src in tests/fuzz/*_fuzz.cpp; do
          n=$(basename "$src" .cpp); n=${n%_fuzz}; echo "$n $(count_files "tests/fuzz/corpus/$n")"
        done)
  awk -F'\t' -v all="$all" 'NR > 1 {
      t = $2; wall[t] += $4; cpu[t] += $5 + $6; ex[t] += $7; cov[t] = $9; ft[t] = $10
      # A run whose result says "not-a-finding" had its artifacts replayed clean at normal
      # priority (the timeouts of a starved run): they stay in the TSV, not in the findings.
      fnd[t] += ($20 ~ /not-a-finding/) ? 0 : $14 + $15 + $16 + $17; if (!(t in runs)) first[t] = $11; runs[t]++
    }
    END {
      print "| target | runs | wall min | CPU min | executions | exec/s (wall) | cov | ft | corpus files (first run → now) | findings | 20 min |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
      n = split(all, names, "\n")
      for (i = 1; i <= n; i++) {
        split(names[i], f, " "); t = f[1]; corp[t] = f[2]
        if (!(t in runs)) { printf "| %s | 0 | 0 | 0 | 0 | | | | %s | | not yet |\n", t, corp[t]; continue }
        printf "| %s | %d | %.1f | %.1f | %d | %d | %s | %s | %s → %s | %d | %s |\n", t, runs[t], wall[t] / 60,
          cpu[t] / 60, ex[t], ex[t] / wall[t], cov[t], ft[t], first[t], corp[t], fnd[t], (wall[t] >= 1200 ? "done" : "not yet")
      }
    }' "$results"
}

targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    -t) seconds=$2; shift 2 ;;
    --until)
      # HH:MM is today's; one already past means tomorrow's (a run started at 23:00
      # with --until 01:30 must not stop at once).
      until_epoch=$(date -u -d "$2" +%s) || exit 1
      [ "$until_epoch" -gt "$(date -u +%s)" ] || until_epoch=$((until_epoch + 86400))
      shift 2 ;;
    --no-merge) merge=0; shift ;;
    --fresh) fresh=1; shift ;;
    --summary) summary; exit 0 ;;
    -h|--help) sed -n '3,23p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for src in tests/fuzz/*_fuzz.cpp; do
    name=$(basename "$src" .cpp)
    targets+=("${name%_fuzz}")
  done
fi

for t in "${targets[@]}"; do
  [ -x "$build/tests/${t}_fuzz" ] || {
    echo "fuzz-campaign: $build/tests/${t}_fuzz is missing: cmake --build --preset fuzz -j2 --target ${t}_fuzz"
    exit 1
  }
  [ -d "tests/fuzz/corpus/$t" ] || { echo "fuzz-campaign: no corpus tests/fuzz/corpus/$t"; exit 1; }
done
[ -f "$results" ] || printf '%s\n' "$header" > "$results"

# The value of "stat::<name>:" in libFuzzer's final statistics.
stat_of() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }

for t in "${targets[@]}"; do
  bin="$build/tests/${t}_fuzz"
  run_s=$seconds
  if [ -n "$until_epoch" ]; then
    # A minute kept for the merge.
    left=$((until_epoch - $(date -u +%s) - 60))
    [ "$left" -ge 120 ] || { echo "fuzz-campaign: stopping before $t: the --until time is near"; break; }
    [ "$left" -ge "$run_s" ] || run_s=$left
  fi
  seed="tests/fuzz/corpus/$t"
  corpus="$work/corpus/$t"
  artifacts="$work/artifacts/$t"
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  commit=$(git rev-parse --short HEAD) # what the binary was built from, not what HEAD is by the end
  log="$work/logs/$t-$stamp.log"
  # The working corpus carries over between runs (unless --fresh); the committed one seeds it.
  [ "$fresh" -eq 0 ] || rm -rf "$corpus"
  mkdir -p "$corpus" "$artifacts" "$work/logs"
  cp -n "$seed"/* "$corpus"/ 2>/dev/null
  dict=()
  [ -f "tests/fuzz/dict/$t.dict" ] && dict=("-dict=tests/fuzz/dict/$t.dict")

  artifacts_before=$(ls "$artifacts")
  load1=$(cut -d' ' -f1 /proc/loadavg)
  echo "fuzz-campaign: $t for ${run_s}s (log $log)"
  /usr/bin/time -f '%e %U %S' -o "$log.time" \
    nice -n 19 "$bin" -max_total_time="$run_s" -print_final_stats=1 \
      -max_len="$max_len" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$malloc_mb" \
      -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" > "$log" 2>&1
  status=$?
  read -r wall user sys < <(tail -1 "$log.time")

  execs=$(stat_of "$log" number_of_executed_units)
  rate=$(stat_of "$log" average_exec_per_sec)
  rss=$(stat_of "$log" peak_rss_mb)
  # Coverage from libFuzzer's last status line ("#N ... cov: C ft: F corp: ...").
  last=$(grep -E '^#[0-9]+.* cov: ' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  # The artifacts this run wrote: those not listed before it.
  new_artifacts=$(comm -13 <(printf '%s\n' "$artifacts_before") <(ls "$artifacts"))
  count_kind() { grep -c "^$1-" <<<"$new_artifacts"; }
  crashes=$(count_kind crash); leaks=$(count_kind leak); timeouts=$(count_kind timeout); ooms=$(count_kind oom)
  result=ok
  [ "$status" -eq 0 ] || result="exit_$status"
  [ -z "$new_artifacts" ] || result="$result:$(tr '\n' ',' <<<"$new_artifacts" | sed 's/,$//')"

  committed_before=$(count_files "$seed")
  if [ "$merge" -eq 1 ]; then
    # Adds to the committed corpus only the inputs that reach edges (or comparisons) it
    # does not: -use_counters=0 leaves out libFuzzer's hit-count features, which keep
    # three times the files for the same edges (request: 692 files against 195 for
    # 2,060 edges), and -set_cover_merge keeps fewer files than -merge=1 alone. The
    # working corpus keeps every feature for the next run.
    nice -n 19 "$bin" -merge=1 -set_cover_merge=1 -use_counters=0 -max_len="$max_len" -timeout="$timeout_s" \
      -rss_limit_mb="$rss_mb" -malloc_limit_mb="$malloc_mb" "$seed" "$corpus" >> "$log" 2>&1 \
      || echo "fuzz-campaign: $t: merge failed (see $log)"
  fi
  committed=$(count_files "$seed")
  [ "$committed" -le "$corpus_warn" ] || echo "fuzz-campaign: $t: the committed corpus has $committed files (ctest replays them all)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$stamp" "$t" "$commit" "$wall" "$user" "$sys" "${execs:-0}" "${rate:-0}" \
    "${cov:-}" "${ft:-}" "$committed_before" "$(count_files "$corpus")" "$committed" \
    "$crashes" "$leaks" "$timeouts" "$ooms" "${rss:-}" "$load1" "$result" >> "$results"
  echo "fuzz-campaign: $t: $result, ${execs:-0} executions (${rate:-0}/s), cov ${cov:-?} ft ${ft:-?}, corpus $committed_before -> $committed"
done
