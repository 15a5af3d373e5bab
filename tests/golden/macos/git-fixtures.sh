# Creates the fixed fixture trees of the workspace-git-* cases (their
# STEM.stdin.sh runs this; it prints nothing, so their standard input is
# empty): a workspace with a .git directory, one with a .git pointer file to
# a gitdir elsewhere (a worktree), and one with no .git. Git cannot keep a
# .git inside the repository, so the trees are made at test time, at a fixed
# path so that the goldens do not depend on where the tree is checked out.
set -e
base=/var/tmp/sbxc-macos-git
mkdir -p "$base/gitdir/.git" "$base/gitfile" "$base/gitdirs/wt" "$base/nogit"
printf 'ref: refs/heads/main\n' >"$base/gitdir/.git/HEAD"
printf 'gitdir: ../gitdirs/wt\n' >"$base/gitfile/.git"
