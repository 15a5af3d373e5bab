# A context path that is not UTF-8 cannot be reported (JSON needs UTF-8):
# an error, not a resolution with the path left out.
explain --color=never -P :workspace --cwd /sbxc-golden/wÿ --home /sbxc-golden/home /sbxc-golden/w/x
