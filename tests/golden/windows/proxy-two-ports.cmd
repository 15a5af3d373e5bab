compile --color=never --target windows --cwd C:\ws --home C:\Users\me --tmpdir C:\Temp --env HTTP_PROXY=http://127.0.0.1:3128 --env CODEX_WINDOWS_SANDBOX_PROXY_PORTS=8081 --print plan.json {}
