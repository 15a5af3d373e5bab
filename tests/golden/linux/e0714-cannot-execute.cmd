# E0714: the command exists but cannot be executed.
run --color=never -P :read-only -C fixtures --home /home/user --tmpdir= -- ./not-executable.txt
