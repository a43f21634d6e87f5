#!/bin/bash
# The mutation study (docs/campaign.md, "Mutation study"): each patch here breaks the store in
# one small way; this applies it to a scratch worktree of a commit (never to the checkout you
# work in), builds that worktree, runs the default campaign there and says whether the campaign
# caught the mutation, by which invariants, in how many distinct crash states.
#
#   tests/mutations/run.sh [--commit REV] [--work DIR] [--only NAME] [-- CAMPAIGN ARGS...]
#
# Not part of `ferros test`: each mutation costs a build of the store, the kernel and the
# `ferros` command plus a campaign (FERROS_MUTATION_TIMEOUT seconds at most, default 1800). A
# table goes to stdout and to DIR/results.md (DIR/results-NAME.md with --only); a mutation
# whose patch no longer applies is reported as such, not skipped silently. Exit status 0 when
# every mutation ran (caught or not), 1 when one could not be built or run, 2 on bad usage.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
commit=HEAD
# Under the checkout's build/ by default: ccache (base_dir = the checkout) then shares the
# objects of an unchanged file with the checkout's own builds.
work="$root/build/mutations"
only=""
campaign_args=()
while [ $# -gt 0 ]; do
    case "$1" in
    --commit) commit=${2:?--commit needs a revision}; shift 2 ;;
    --work) work=${2:?--work needs a directory}; shift 2 ;;
    --only) only=${2:?--only needs a mutation name}; shift 2 ;;
    --) shift; campaign_args=("$@"); break ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
rev=$(git -C "$root" rev-parse --verify --quiet "$commit^{commit}") || {
    echo "run.sh: error: '$commit' is not a commit" >&2
    exit 2
}
mkdir -p "$work"
# One table per study; --only writes its own, so a single rerun keeps the full study's table.
results="$work/results${only:+-$only}.md"
{
    echo "Mutation study at $(git -C "$root" log -1 --format='%h %s' "$rev")"
    echo "campaign: ferros campaign ${campaign_args[*]:-(defaults)}"
    echo
    echo "| mutation | verdict | invariants (violations) | distinct states with a violation | of distinct states |"
    echo "|---|---|---|---|---|"
} >"$results"

# The worktree's build needs the QEMU plugin header that ./ferros set up for the checkout.
deps="$root/build/_deps"
tree="$work/tree"
status=0
for patch in "$here"/*.patch; do
    name=$(basename "$patch" .patch)
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    log="$work/$name.log"
    echo "== $name: $(head -1 "$patch" | sed 's/^Mutation: //')" >&2
    # One worktree for all mutations, reset to the commit before each: its build only
    # recompiles what the previous mutation touched.
    if [ ! -d "$tree" ]; then
        git -C "$root" worktree add --detach "$tree" "$rev" >"$log" 2>&1 || {
            echo "| $name | not run: worktree failed (see $log) | | | |" >>"$results"
            status=1
            continue
        }
    fi
    if ! git -C "$tree" checkout -q -f --detach "$rev" >>"$log" 2>&1 || ! git -C "$tree" apply "$patch" >>"$log" 2>&1; then
        echo "| $name | not run: the patch does not apply to $commit | | | |" >>"$results"
        status=1
        continue
    fi
    mkdir -p "$tree/build"
    [ -d "$deps" ] && ln -sfn "$deps" "$tree/build/_deps"
    build="$tree/build/situations"
    if ! (cd "$tree" && cmake --preset dev -B "$build" -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
        -DCMAKE_C_COMPILER_LAUNCHER=ccache && cmake --build "$build" -j2 --target ferros ferros_kernel ferros_plugin) \
        >>"$log" 2>&1; then
        echo "| $name | not run: build failed (see $log) | | | |" >>"$results"
        status=1
        continue
    fi
    out="$work/$name-campaign"
    rm -rf "$out"
    # A mutation that hangs the campaign costs its row, not the study.
    (cd "$tree" && timeout "${FERROS_MUTATION_TIMEOUT:-1800}" "$build/tools/ferros" campaign --out "$out" --json \
        "${campaign_args[@]}") >"$out.stdout" 2>>"$log"
    code=$?
    json=$(tail -1 "$out.stdout")
    if [ $code -ne 0 ] && [ $code -ne 1 ]; then
        echo "| $name | not run: campaign exited $code (see $log) | | | |" >>"$results"
        status=1
        continue
    fi
    # Counts straight from the campaign's results: which invariants, and how many distinct
    # states carry a violation.
    by=$(sqlite3 "$out/results.db" "SELECT group_concat(invariant || ' ' || n, ', ') FROM \
        (SELECT invariant, count(*) AS n FROM violations GROUP BY invariant ORDER BY invariant)")
    bad=$(sqlite3 "$out/results.db" "SELECT count(*) FROM states WHERE invariants != ''")
    distinct=$(sqlite3 "$out/results.db" "SELECT count(*) FROM states")
    verdict=missed
    [ $code -eq 1 ] && verdict=caught
    [ -z "$json" ] && verdict="$verdict (no JSON line)"
    echo "| $name | $verdict | ${by:-none} | $bad | $distinct |" >>"$results"
done
git -C "$tree" checkout -q -f --detach "$rev" >/dev/null 2>&1
cat "$results"
exit $status
