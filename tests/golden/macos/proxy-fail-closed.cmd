compile --color=never --target macos --print profile.sb,params.json,argv.json --cwd /Users/dev/repo --home /Users/dev --tmpdir= --proxy-env HTTPS_PROXY=http://proxy.example.com:8080 {}
