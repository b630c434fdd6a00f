#!/usr/bin/env bash
# `make soak`: does a verdict depend on how busy the machine is?  First one
# quiet run per C library: the reference.  Then full runs under each load
# profile, every verdict compared with the quiet run's:
#
#   light      one core kept busy by a spinning process (glibc)       SOAK_RUNS (50)
#   heavy      stress-ng, 4 CPU workers per core, and a second full   SOAK_HEAVY_RUNS (30)
#              suite running alongside (glibc and musl)                 each C library
#   overload   the same at 8 workers per core                          SOAK_OVERLOAD_RUNS (10)
#
# light and heavy must give the quiet run's verdict every time (0 verdict
# changes); overload must give no false verdict: each one is the quiet
# run's, or an error that names the overload ("too loaded to judge").
#
#   bash tests/soak.sh [PROFILE]...     (default: light heavy overload)
#
# Exit 1 when a profile fails its rule.  The runs stay in build/soak/.
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
work=$B/soak
TMP=$work . tests/lib.sh	# overloaded
cores=$(nproc)
profiles=${*:-light heavy overload}
rm -rf "$work"
mkdir -p "$work"
set -m		# each load in its own process group, ended whole

load_pids=()
stop_load() {
	for pid in "${load_pids[@]}"; do
		kill -TERM -- "-$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	load_pids=()
}
trap stop_load EXIT

# One core busy: the load a shared CI machine adds.
start_spinner() {
	( while :; do :; done ) &
	load_pids+=($!)
}

# stress-ng with per_core CPU workers per core, and a second suite, run
# after run, into a directory of its own.
start_stress() {
	local per_core=$1

	if ! command -v stress-ng >/dev/null; then
		echo "soak: stress-ng not found: install it (make deps-test)" >&2
		exit 2
	fi
	stress-ng --cpu $((per_core * cores)) --timeout 0 --quiet &
	load_pids+=($!)
	( while :; do "$B/netconform" run --out "$work/second" >/dev/null 2>&1; done ) &
	load_pids+=($!)
}

# "id verdict seconds overload" per check of a results.xml; overload is 1
# for an error that names the overload.
quads() {
	local overloaded

	overloaded=$(overloaded "$1")
	xmllint --xpath '//check/@id | //check/@verdict | //check/@seconds' "$1" |
		tr ' ' '\n' | sed -n 's/^\(id\|verdict\|seconds\)="\(.*\)"$/\2/p' | paste - - - |
		awk -F'\t' -v list="$overloaded" '
			BEGIN { n = split(list, ids, "\n"); for (i = 1; i <= n; i++) over[ids[i]] = 1 }
			{ print $0 "\t" ($1 in over ? 1 : 0) }'
}

# run LIBC DIR: one full run; a run that ends without results.xml ends the
# soak (one that stopped early has it: its missing checks count as changes).
run() {
	local libc=$1 dir=$2 status

	"$B/netconform" run --libc "$libc" --out "$dir" >"$dir.log" 2>&1
	status=$?
	if [ $status -gt 1 ] && [ ! -e "$dir/results.xml" ]; then
		echo "soak: $dir: exit status $status (see $dir.log)"
		exit 2
	fi
	return 0
}

libcs() {
	case $1 in
	light) echo glibc ;;
	*) echo glibc musl ;;
	esac
}

failed=0
declare -A quiet_done
started=$SECONDS
for profile in $profiles; do
	case $profile in
	light) runs=${SOAK_RUNS:-50} ;;
	heavy) runs=${SOAK_HEAVY_RUNS:-30} ;;
	overload) runs=${SOAK_OVERLOAD_RUNS:-10} ;;
	*) echo "soak: unknown profile '$profile' (light, heavy, overload)" >&2; exit 2 ;;
	esac
	for libc in $(libcs "$profile"); do
		if [ -z "${quiet_done[$libc]:-}" ]; then
			run "$libc" "$work/quiet-$libc"
			quads "$work/quiet-$libc/results.xml" >"$work/quiet-$libc.tsv"
			quiet_done[$libc]=1
		fi
	done
	case $profile in
	light) start_spinner; what="one core busy" ;;
	heavy) start_stress 4; what="stress-ng --cpu $((4 * cores)) (4 per core) and a second suite" ;;
	overload) start_stress 8; what="stress-ng --cpu $((8 * cores)) (8 per core) and a second suite" ;;
	esac
	t0=$SECONDS
	for libc in $(libcs "$profile"); do
		all=$work/$profile-$libc.tsv
		: >"$all"
		for i in $(seq 1 "$runs"); do
			t=$SECONDS
			run "$libc" "$work/$profile-$libc-$i"
			quads "$work/$profile-$libc-$i/results.xml" | sed "s/^/$i\t/" >>"$all"
			printf 'soak: %s %s run %d/%d: %d s\n' "$profile" "$libc" "$i" "$runs" \
				$((SECONDS - t))
		done
		# Against the quiet run: "id: quiet pass; fail x2 (runs 7 31)".
		report=$(awk -F'\t' -v profile="$profile" '
			NR == FNR { quiet[$1] = $2; next }
			{
				run = $1; id = $2; verdict = $3; over = $5
				seen[run "\t" id] = 1; last = run > last ? run : last
				if (id in quiet && verdict == quiet[id]) next
				named = verdict == "error" && over == 1
				if (profile == "overload" && named) { tolerated++; tol_runs[id] = tol_runs[id] " " run; next }
				n[id "\t" verdict]++; runs[id] = runs[id] " " run; bad[id] = 1
			}
			END {
				# a check of the quiet run that a loaded run did not give
				for (r = 1; r <= last; r++)
					for (id in quiet)
						if (!((r "\t" id) in seen)) {
							n[id "\tmissing"]++; runs[id] = runs[id] " " r; bad[id] = 1
						}
				for (key in n) { split(key, k, "\t"); counts[k[1]] = counts[k[1]] " " k[2] " x" n[key] }
				for (id in bad) printf "  %s: quiet %s;%s (runs%s)\n", id,
					(id in quiet ? quiet[id] : "not run"), counts[id], runs[id]
				printf "TOLERATED\t%d\n", tolerated + 0
			}' "$work/quiet-$libc.tsv" "$all" | sort)
		tolerated=$(echo "$report" | sed -n 's/^TOLERATED\t//p')
		changes=$(echo "$report" | grep -v '^TOLERATED' | grep -c . || true)
		if [ "$changes" -gt 0 ]; then
			failed=1
			echo "soak: $profile, $libc: $changes checks gave another verdict than the quiet run:"
			echo "$report" | grep -v '^TOLERATED'
		elif [ "$profile" = overload ]; then
			echo "soak: $profile, $libc: no false verdict in $runs runs under $what" \
			     "($tolerated errors naming the overload)"
		else
			echo "soak: $profile, $libc: 0 verdict changes in $runs runs under $what"
		fi
	done
	stop_load
	echo "soak: $profile: $((SECONDS - t0)) s"
done
echo "soak: the slowest checks under load (longest of any run, and the median):"
cat "$work"/*-*.tsv 2>/dev/null | awk -F'\t' 'NF == 5 { print $2 "\t" $4 }' |
	sort -t$'\t' -k1,1 -k2,2g |
	awk -F'\t' '
		$1 != id { if (id != "") out(); id = $1; n = 0 }
		{ s[++n] = $2 }
		function out() { printf "%s\t%s\t%s\n", s[n], s[int((n + 1) / 2)], id }
		END { if (id != "") out() }' |
	sort -t$'\t' -k1,1gr | head -10 |
	awk -F'\t' '{ printf "  %8.3f s  (median %.3f s)  %s\n", $1, $2, $3 }'
echo "soak: $((SECONDS - started)) s in all"
exit $failed
