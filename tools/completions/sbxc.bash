# bash completion for sbxc
_sbxc() {
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "lint ir explain toml-decode run compile exec diff explain-code version help" -- "$cur"))
		return
	fi
	cmd=${COMP_WORDS[1]}
	case $prev in
	--format) COMPREPLY=($(compgen -W "text json sarif junit github" -- "$cur")); return ;;
	--color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--target) COMPREPLY=($(compgen -W "macos linux windows" -- "$cur")); return ;;
	--targets) COMPREPLY=($(compgen -W "macos linux windows macos,linux linux,windows macos,linux,windows" -- "$cur")); return ;;
	--sandbox-mode) COMPREPLY=($(compgen -W "read-only workspace-write danger-full-access" -- "$cur")); return ;;
	-o | --output | -c | --config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-C | --cwd | -W | --workspace-root | --home | --tmpdir) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	-P | --profile) COMPREPLY=($(compgen -W ":read-only :workspace :danger-full-access" -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		local opts="--help --color -P --profile -C --cwd -W --workspace-root --home --tmpdir --target"
		case $cmd in
		lint) opts="$opts --format -o --output --werror --allow -q --quiet --strict --targets" ;;
		ir | explain) opts="$opts --sandbox-mode --format --op -c --config" ;;
		run) opts="$opts -c --config --sandbox-mode --backend --dry-run" ;;
		compile) opts="$opts -c --config -o --output --print --offline" ;;
		esac
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	case $cmd in
	help) COMPREPLY=($(compgen -W "lint ir explain toml-decode run compile exec diff explain-code version help" -- "$cur")) ;;
	lint) COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur")) ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _sbxc sbxc
