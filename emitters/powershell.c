/*
** powershell.c: the Windows scripts, written from a plan (win_plan.h) and
** nothing else. setup.ps1 creates or updates the sandbox accounts, the
** capability SIDs, the ACL entries and the firewall rules, stopping at the
** first failure; teardown.ps1 removes what setup added; run.ps1 runs one
** command as the plan's identity. Every path and name in them passes through
** sbx_ps_quote().
*/
#include "powershell.h"
#include "arena.h"
#include "emit_int.h"
#include "win_plan.h"

#include <string.h>

void sbx_ps_quote(struct sbx_strbuf *sb, const char *s)
{
	sbx_sb_addc(sb, '\'');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\'') {
			sbx_sb_adds(sb, "''");
			continue;
		}
		/* U+2018..U+201B are E2 80 98..9B in UTF-8 */
		if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0x98 && p[2] <= 0x9B) {
			sbx_sb_add(sb, p, 3);
			sbx_sb_add(sb, p, 3);
			p += 2;
			continue;
		}
		sbx_sb_addc(sb, (char)*p);
	}
	sbx_sb_addc(sb, '\'');
}

static void q(struct sbx_strbuf *sb, const char *s)
{
	sbx_ps_quote(sb, s);
}

static const char *icacls_rights(enum sbx_win_rights r)
{
	switch (r) {
	case SBX_WIN_RIGHTS_MODIFY:
		return "GR,GW,GE,DE";
	case SBX_WIN_RIGHTS_READ:
		return "GR,GE";
	case SBX_WIN_RIGHTS_DENY_WRITE:
		return "GW,WD,AD,WEA,WA,DE,DC";
	case SBX_WIN_RIGHTS_DENY_READ:
		return "GR,RD,REA,RA";
	}
	return "";
}

/* The PowerShell variable holding a trustee's SID: SbxGroupSid for the
** group, SbxCapN for the capability "cap-N". */
static void trustee_var(struct sbx_strbuf *sb, const char *trustee)
{
	if (strcmp(trustee, "group") == 0)
		sbx_sb_adds(sb, "SbxGroupSid");
	else if (strncmp(trustee, "read-", 5) == 0)
		sbx_sb_addf(sb, "SbxRead%s", trustee + 5);
	else
		sbx_sb_addf(sb, "SbxCap%s", trustee + 4);
}

/* A capability's key in caps.json: its root, or `read|` and its root for a
** read capability (no Windows path holds `|`, E0671). */
static void cap_key(struct sbx_ctx *ctx, struct sbx_strbuf *sb, const struct sbx_win_cap *c)
{
	q(sb, c->read ? sbx_arena_printf(&ctx->arena, "read|%s", c->root) : c->root);
}

static void header(struct sbx_strbuf *sb, const struct sbx_win_plan *p, const char *what)
{
	sbx_sb_addf(sb,
	            "# %s: written by sbxc from plan.json (backend %s, identity %s).\n"
	            "# Do not edit: compile the policy again instead.\n"
	            "#Requires -Version 5.1\n",
	            what, sbx_backend_name(p->backend), sbx_win_identity_name(p->identity));
}

static const char prologue[] = "Set-StrictMode -Version 3.0\n"
                               "$ErrorActionPreference = 'Stop'\n"
                               "$SbxStateDir = Join-Path $env:LOCALAPPDATA 'sbxc'\n"
                               "$SbxCreatedFile = Join-Path $SbxStateDir 'created.txt'\n"
                               "$SbxStep = 'start'\n";

static const char check_admin[] =
    "  $SbxStep = 'check elevation'\n"
    "  $SbxPrincipal = [Security.Principal.WindowsPrincipal]::new("
    "[Security.Principal.WindowsIdentity]::GetCurrent())\n"
    "  if (-not $SbxPrincipal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {\n"
    "    throw 'this script must run elevated (as an administrator)'\n"
    "  }\n";

/* Group-policy or disabled firewall profiles would leave the rules without
** effect: fail instead (the offline user would have the network). */
static const char check_firewall[] =
    "  $SbxStep = 'check the firewall is in effect'\n"
    "  foreach ($SbxProfile in @(Get-NetFirewallProfile -PolicyStore ActiveStore)) {\n"
    "    if ($SbxProfile.Enabled -ne 'True') {\n"
    "      throw \"the firewall profile $($SbxProfile.Name) is off: the offline user's rules "
    "would have no effect\"\n"
    "    }\n"
    "    if ($SbxProfile.AllowLocalFirewallRules -eq 'False') {\n"
    "      throw \"group policy ignores local firewall rules in profile $($SbxProfile.Name)\"\n"
    "    }\n"
    "  }\n";

static const char helpers_setup[] =
    "function New-SbxPassword {\n"
    "  $bytes = [byte[]]::new(24)\n"
    "  [Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)\n"
    "  $text = [Convert]::ToBase64String($bytes) + 'a1!'\n"
    "  return (ConvertTo-SecureString -String $text -AsPlainText -Force)\n"
    "}\n"
    "function Get-SbxCapSid([string]$Root) {\n"
    "  if (-not $script:SbxCaps.ContainsKey($Root)) {\n"
    "    $rng = [Security.Cryptography.RandomNumberGenerator]::Create()\n"
    "    $b = [byte[]]::new(16)\n"
    "    $rng.GetBytes($b)\n"
    "    $parts = 0..3 | ForEach-Object { [BitConverter]::ToUInt32($b, $_ * 4) }\n"
    "    $script:SbxCaps[$Root] = 'S-1-5-21-' + ($parts -join '-')\n"
    "  }\n"
    "  return $script:SbxCaps[$Root]\n"
    "}\n"
    "function Add-SbxCreated([string]$Line) {\n"
    "  Add-Content -LiteralPath $SbxCreatedFile -Value $Line -Encoding utf8\n"
    "}\n";

static void native_check(struct sbx_strbuf *sb)
{
	sbx_sb_adds(sb,
	            "  if ($LASTEXITCODE -ne 0) { throw \"icacls exited with $LASTEXITCODE\" }\n");
}

static void step(struct sbx_strbuf *sb, const char *what, const char *path)
{
	sbx_sb_addf(sb, "  $SbxStep = %s + ", what);
	q(sb, path);
	sbx_sb_addc(sb, '\n');
}

static void users_setup(struct sbx_strbuf *sb)
{
	static const char *const users[] = {SBX_WIN_USER_OFFLINE, SBX_WIN_USER_ONLINE};
	sbx_sb_adds(sb, "  $SbxStep = 'group " SBX_WIN_GROUP "'\n"
	                "  if (-not (Get-LocalGroup -Name '" SBX_WIN_GROUP
	                "' -ErrorAction SilentlyContinue)) {\n"
	                "    $null = New-LocalGroup -Name '" SBX_WIN_GROUP
	                "' -Description 'sbxc sandbox users'\n"
	                "  }\n"
	                "  $SbxGroupSid = (Get-LocalGroup -Name '" SBX_WIN_GROUP "').SID.Value\n"
	                "  $SbxHideKey = 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\"
	                "Winlogon\\SpecialAccounts\\UserList'\n"
	                "  if (-not (Test-Path -LiteralPath $SbxHideKey)) {\n"
	                "    $null = New-Item -Path $SbxHideKey -Force\n"
	                "  }\n");
	for (size_t i = 0; i < 2; i++) {
		const char *u = users[i];
		sbx_sb_addf(
		    sb,
		    "  $SbxStep = 'user %s'\n"
		    "  $SbxPwFile = Join-Path $SbxStateDir '%s.pw'\n"
		    "  $SbxUser = Get-LocalUser -Name '%s' -ErrorAction SilentlyContinue\n"
		    "  if (-not $SbxUser -or -not (Test-Path -LiteralPath $SbxPwFile)) {\n"
		    "    $SbxPw = New-SbxPassword\n"
		    "    if ($SbxUser) {\n"
		    "      Set-LocalUser -Name '%s' -Password $SbxPw\n"
		    "    } else {\n"
		    "      $null = New-LocalUser -Name '%s' -Password $SbxPw -PasswordNeverExpires "
		    "-UserMayNotChangePassword -AccountNeverExpires -Description 'sbxc sandbox "
		    "user'\n"
		    "    }\n"
		    "    ConvertFrom-SecureString -SecureString $SbxPw | Set-Content -LiteralPath "
		    "$SbxPwFile -Encoding ascii\n"
		    "  }\n"
		    "  if (-not (Get-LocalGroupMember -Group '" SBX_WIN_GROUP
		    "' -Member '%s' -ErrorAction SilentlyContinue)) {\n"
		    "    Add-LocalGroupMember -Group '" SBX_WIN_GROUP "' -Member '%s'\n"
		    "  }\n"
		    "  $null = New-ItemProperty -Path $SbxHideKey -Name '%s' -Value 0 "
		    "-PropertyType "
		    "DWord -Force\n",
		    u, u, u, u, u, u, u, u);
	}
	sbx_sb_adds(sb, "  $SbxOfflineSid = (Get-LocalUser -Name '" SBX_WIN_USER_OFFLINE
	                "').SID.Value\n");
}

static void caps_setup(struct sbx_ctx *ctx, struct sbx_strbuf *sb, const struct sbx_win_plan *p)
{
	sbx_sb_adds(sb,
	            "  $SbxStep = 'capability SIDs'\n"
	            "  $SbxCapFile = Join-Path $SbxStateDir 'caps.json'\n"
	            "  $script:SbxCaps = @{}\n"
	            "  if (Test-Path -LiteralPath $SbxCapFile) {\n"
	            "    (Get-Content -LiteralPath $SbxCapFile -Raw | ConvertFrom-Json)."
	            "PSObject.Properties | ForEach-Object { $script:SbxCaps[$_.Name] = $_.Value }\n"
	            "  }\n");
	for (size_t i = 0; i < p->ncaps; i++) {
		sbx_sb_adds(sb, "  $");
		trustee_var(sb, p->caps[i].name);
		sbx_sb_adds(sb, " = Get-SbxCapSid ");
		cap_key(ctx, sb, &p->caps[i]);
		sbx_sb_addc(sb, '\n');
	}
	sbx_sb_adds(sb, "  $script:SbxCaps | ConvertTo-Json | Set-Content -LiteralPath $SbxCapFile "
	                "-Encoding utf8\n");
}

static void acl_setup(struct sbx_strbuf *sb, const struct sbx_win_plan *p)
{
	for (size_t i = 0; i < p->ncreate_dirs; i++) {
		step(sb, "'create directory '", p->create_dirs[i]);
		sbx_sb_adds(sb, "  if (-not (Test-Path -LiteralPath ");
		q(sb, p->create_dirs[i]);
		sbx_sb_adds(sb, ")) {\n    $null = [IO.Directory]::CreateDirectory(");
		q(sb, p->create_dirs[i]);
		sbx_sb_adds(sb, ")\n    Add-SbxCreated ('dir ' + ");
		q(sb, p->create_dirs[i]);
		sbx_sb_adds(sb, ")\n  }\n");
	}
	for (size_t i = 0; i < p->naces; i++) {
		const struct sbx_win_ace *a = &p->aces[i];
		sbx_sb_addf(sb, "  $SbxStep = '%s %s for %s on ' + ", a->deny ? "deny" : "allow",
		            sbx_win_rights_name(a->rights), a->trustee);
		q(sb, a->path);
		sbx_sb_adds(sb, "\n  icacls.exe ");
		q(sb, a->path);
		sbx_sb_addf(sb, " %s \"*${", a->deny ? "/deny" : "/grant");
		trustee_var(sb, a->trustee);
		sbx_sb_addf(sb, "}:(OI)(CI)(%s)\"\n", icacls_rights(a->rights));
		native_check(sb);
	}
}

static void fw_params(struct sbx_strbuf *sb, const struct sbx_win_fw_rule *r,
                      const char *const *ports, size_t nports)
{
	static const char *const proto[] = {"Any", "TCP", "UDP", "ICMPv4", "ICMPv6"};
	sbx_sb_addf(sb, " -Direction Outbound -Action Block -Profile Any -Protocol %s",
	            proto[r->proto]);
	if (r->naddresses) {
		sbx_sb_adds(sb, " -RemoteAddress @(");
		for (size_t i = 0; i < r->naddresses; i++) {
			if (i)
				sbx_sb_adds(sb, ", ");
			q(sb, r->remote_addresses[i]);
		}
		sbx_sb_addc(sb, ')');
	}
	if (nports) {
		sbx_sb_adds(sb, " -RemotePort @(");
		for (size_t i = 0; i < nports; i++) {
			if (i)
				sbx_sb_adds(sb, ", ");
			q(sb, ports[i]);
		}
		sbx_sb_addc(sb, ')');
	}
	sbx_sb_adds(sb, " -LocalUser $SbxOfflineSddl");
}

static void fw_setup(struct sbx_strbuf *sb, const struct sbx_win_plan *p)
{
	sbx_sb_adds(sb, check_firewall);
	sbx_sb_adds(sb, "  $SbxOfflineSddl = \"O:LSD:(A;;CC;;;$SbxOfflineSid)\"\n");
	/* every rule blocks all it may block before the loopback TCP rule is
	** narrowed to the proxy ports */
	for (size_t i = 0; i < p->nrules; i++) {
		const struct sbx_win_fw_rule *r = &p->rules[i];
		sbx_sb_addf(sb, "  $SbxStep = 'firewall rule %s'\n", r->name);
		sbx_sb_addf(
		    sb,
		    "  if (-not (Get-NetFirewallRule -Name '%s' -ErrorAction SilentlyContinue)) "
		    "{\n    $null = New-NetFirewallRule -Name '%s' -DisplayName '%s' -Group "
		    "'sbxc'",
		    r->name, r->name, r->name);
		fw_params(sb, r, r->remote_ports, r->nports);
		sbx_sb_addf(sb, "\n  }\n  Set-NetFirewallRule -Name '%s' -Enabled True", r->name);
		fw_params(sb, r, r->remote_ports, r->nports);
		sbx_sb_addc(sb, '\n');
	}
	for (size_t i = 0; i < p->nremove_rules; i++)
		sbx_sb_addf(sb,
		            "  $SbxStep = 'remove firewall rule %s (allow_local_binding)'\n"
		            "  Remove-NetFirewallRule -Name '%s' -ErrorAction SilentlyContinue\n",
		            p->remove_rules[i], p->remove_rules[i]);
	if (p->narrow_rule) {
		for (size_t i = 0; i < p->nrules; i++) {
			if (strcmp(p->rules[i].name, p->narrow_rule) != 0)
				continue;
			sbx_sb_addf(sb,
			            "  $SbxStep = 'narrow firewall rule %s to the proxy ports'\n",
			            p->narrow_rule);
			if (p->nnarrow_ports) {
				sbx_sb_addf(sb, "  Set-NetFirewallRule -Name '%s' -Enabled True",
				            p->narrow_rule);
				fw_params(sb, &p->rules[i], p->narrow_ports, p->nnarrow_ports);
				sbx_sb_addc(sb, '\n');
			} else {
				sbx_sb_addf(sb, "  Remove-NetFirewallRule -Name '%s'\n",
				            p->narrow_rule);
			}
		}
	}
}

static const char *finish(struct sbx_ctx *ctx, struct sbx_strbuf *sb)
{
	const char *s = sbx_arena_strndup(&ctx->arena, sb->buf, sb->len);
	sbx_sb_release(sb);
	return s;
}

static const char try_open[] = "try {\n";
static const char catch_close[] =
    "} catch {\n"
    "  [Console]::Error.WriteLine(\"sbxc: failed at step: $SbxStep\")\n"
    "  [Console]::Error.WriteLine(\"sbxc: $($_.Exception.Message)\")\n"
    "  exit 1\n"
    "}\n";

const char *sbx_ps_setup(struct sbx_ctx *ctx, const struct sbx_win_plan *p)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	bool elevated = p->backend == SBX_BACKEND_WINDOWS_ELEVATED;
	header(&sb, p, "setup.ps1");
	sbx_sb_adds(&sb, "# Idempotent: a second run changes nothing and duplicates nothing. It\n"
	                 "# stops at the first failure and names the step that failed.\n");
	sbx_sb_adds(&sb, prologue);
	sbx_sb_adds(&sb, helpers_setup);
	sbx_sb_adds(&sb, try_open);
	if (elevated)
		sbx_sb_adds(&sb, check_admin);
	sbx_sb_adds(&sb, "  $null = New-Item -ItemType Directory -Force -Path $SbxStateDir\n");
	if (elevated)
		users_setup(&sb);
	caps_setup(ctx, &sb, p);
	if (p->firewall)
		fw_setup(&sb, p); /* the network goes first: less network, never more */
	acl_setup(&sb, p);
	sbx_sb_adds(&sb, "  [Console]::Out.WriteLine('sbxc: setup complete')\n");
	sbx_sb_adds(&sb, catch_close);
	return finish(ctx, &sb);
}

const char *sbx_ps_teardown(struct sbx_ctx *ctx, const struct sbx_win_plan *p)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	bool elevated = p->backend == SBX_BACKEND_WINDOWS_ELEVATED;
	header(&sb, p, "teardown.ps1");
	sbx_sb_adds(&sb, "# Removes what setup.ps1 added: its ACL entries, the directories it\n"
	                 "# created (when still empty), its firewall rules, accounts and state.\n");
	sbx_sb_adds(&sb, prologue);
	sbx_sb_adds(&sb, try_open);
	if (elevated)
		sbx_sb_adds(&sb, check_admin);
	sbx_sb_adds(&sb, "  $SbxCapFile = Join-Path $SbxStateDir 'caps.json'\n"
	                 "  $SbxCaps = @{}\n"
	                 "  if (Test-Path -LiteralPath $SbxCapFile) {\n"
	                 "    (Get-Content -LiteralPath $SbxCapFile -Raw | ConvertFrom-Json)."
	                 "PSObject.Properties | ForEach-Object { $SbxCaps[$_.Name] = $_.Value }\n"
	                 "  }\n");
	if (elevated)
		sbx_sb_adds(
		    &sb, "  $SbxGroup = Get-LocalGroup -Name '" SBX_WIN_GROUP
		         "' -ErrorAction SilentlyContinue\n"
		         "  $SbxGroupSid = if ($SbxGroup) { $SbxGroup.SID.Value } else { '' }\n");
	for (size_t i = 0; i < p->ncaps; i++) {
		sbx_sb_adds(&sb, "  $");
		trustee_var(&sb, p->caps[i].name);
		sbx_sb_adds(&sb, " = if ($SbxCaps.ContainsKey(");
		cap_key(ctx, &sb, &p->caps[i]);
		sbx_sb_adds(&sb, ")) { $SbxCaps[");
		cap_key(ctx, &sb, &p->caps[i]);
		sbx_sb_adds(&sb, "] } else { '' }\n");
	}
	/* grants first, so the sandbox loses access before the denials go */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < p->naces; i++) {
			const struct sbx_win_ace *a = &p->aces[i];
			if (a->deny != (pass == 1))
				continue;
			bool again = false; /* one removal takes every entry of its kind */
			for (size_t j = 0; j < i && !again; j++)
				again = p->aces[j].deny == a->deny &&
				        strcmp(p->aces[j].trustee, a->trustee) == 0 &&
				        strcmp(p->aces[j].path, a->path) == 0;
			if (again)
				continue;
			sbx_sb_addf(&sb, "  $SbxStep = 'remove %s entries of %s on ' + ",
			            a->deny ? "deny" : "allow", a->trustee);
			q(&sb, a->path);
			sbx_sb_adds(&sb, "\n  if ($");
			trustee_var(&sb, a->trustee);
			sbx_sb_adds(&sb, " -and (Test-Path -LiteralPath ");
			q(&sb, a->path);
			sbx_sb_adds(&sb, ")) {\n    icacls.exe ");
			q(&sb, a->path);
			sbx_sb_addf(&sb, " %s \"*${", a->deny ? "/remove:d" : "/remove:g");
			trustee_var(&sb, a->trustee);
			sbx_sb_adds(&sb, "}\"\n  ");
			native_check(&sb);
			sbx_sb_adds(&sb, "  }\n");
		}
	}
	sbx_sb_adds(&sb,
	            "  $SbxCreated = @()\n"
	            "  if (Test-Path -LiteralPath $SbxCreatedFile) {\n"
	            "    $SbxCreated = @(Get-Content -LiteralPath $SbxCreatedFile -Encoding utf8)\n"
	            "  }\n");
	for (size_t i = p->ncreate_dirs; i-- > 0;) {
		step(&sb, "'remove created directory '", p->create_dirs[i]);
		sbx_sb_adds(&sb, "  if (($SbxCreated -contains ('dir ' + ");
		q(&sb, p->create_dirs[i]);
		sbx_sb_adds(&sb, ")) -and (Test-Path -LiteralPath ");
		q(&sb, p->create_dirs[i]);
		sbx_sb_adds(&sb, ") -and -not (Get-ChildItem -LiteralPath ");
		q(&sb, p->create_dirs[i]);
		sbx_sb_adds(&sb, " -Force)) {\n    Remove-Item -LiteralPath ");
		q(&sb, p->create_dirs[i]);
		sbx_sb_adds(&sb, "\n  }\n");
	}
	for (size_t i = 0; i < p->nrules; i++)
		sbx_sb_addf(&sb,
		            "  $SbxStep = 'remove firewall rule %s'\n"
		            "  Remove-NetFirewallRule -Name '%s' -ErrorAction SilentlyContinue\n",
		            p->rules[i].name, p->rules[i].name);
	if (elevated) {
		static const char *const users[] = {SBX_WIN_USER_OFFLINE, SBX_WIN_USER_ONLINE};
		for (size_t i = 0; i < 2; i++)
			sbx_sb_addf(
			    &sb,
			    "  $SbxStep = 'remove user %s'\n"
			    "  if (Get-LocalUser -Name '%s' -ErrorAction SilentlyContinue) {\n"
			    "    Remove-LocalUser -Name '%s'\n"
			    "  }\n"
			    "  Remove-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows "
			    "NT\\CurrentVersion\\Winlogon\\SpecialAccounts\\UserList' -Name '%s' "
			    "-ErrorAction SilentlyContinue\n"
			    "  Remove-Item -LiteralPath (Join-Path $SbxStateDir '%s.pw') "
			    "-ErrorAction "
			    "SilentlyContinue\n",
			    users[i], users[i], users[i], users[i], users[i]);
		sbx_sb_adds(&sb, "  $SbxStep = 'remove group " SBX_WIN_GROUP "'\n"
		                 "  if ($SbxGroup) {\n"
		                 "    Remove-LocalGroup -Name '" SBX_WIN_GROUP "'\n"
		                 "  }\n");
	}
	sbx_sb_adds(&sb,
	            "  $SbxStep = 'remove state'\n"
	            "  Remove-Item -LiteralPath $SbxCapFile -ErrorAction SilentlyContinue\n"
	            "  Remove-Item -LiteralPath $SbxCreatedFile -ErrorAction SilentlyContinue\n"
	            "  [Console]::Out.WriteLine('sbxc: teardown complete')\n");
	sbx_sb_adds(&sb, catch_close);
	return finish(ctx, &sb);
}

/* Quotes one argument for a Windows command line the way
** CommandLineToArgvW reads it back. */
static const char argv_quote_fn[] =
    "function ConvertTo-SbxArgument([string]$Arg) {\n"
    "  if ($Arg.Length -gt 0 -and $Arg -notmatch '[\\s\"]') { return $Arg }\n"
    "  $out = [Text.StringBuilder]::new('\"')\n"
    "  $slashes = 0\n"
    "  foreach ($c in $Arg.ToCharArray()) {\n"
    "    if ($c -eq [char]92) { $slashes++; continue }\n"
    "    if ($c -eq [char]34) { $null = $out.Append([char]92, 2 * $slashes + 1) }\n"
    "    elseif ($slashes) { $null = $out.Append([char]92, $slashes) }\n"
    "    $slashes = 0\n"
    "    $null = $out.Append($c)\n"
    "  }\n"
    "  $null = $out.Append([char]92, 2 * $slashes).Append('\"')\n"
    "  return $out.ToString()\n"
    "}\n";

/* The C# that starts a command under a restricted token derived from the
** caller's own (CreateProcessAsUser needs no privilege for that). Run(sids,
** line, cwd, flags, dacl): the restricting SIDs, CreateRestrictedToken's
** flags, and the token's default DACL as SDDL (null: keep it). Full read,
** both backends: DISABLE_MAX_PRIVILEGE | LUA_TOKEN | WRITE_RESTRICTED, the
** plan's capabilities alone (not the logon SID and Everyone of reference
** §5.2: they would let writes through wherever the machine lets anyone
** write; spec/semantics.md R-SEM-37). Elevated with a restricted read:
** DISABLE_MAX_PRIVILEGE | LUA_TOKEN, the capabilities alone, checked for
** every access (R-SEM-37b). */
static const char restricted_type[] =
    "$SbxRunnerSource = @'\n"
    "using System;\n"
    "using System.ComponentModel;\n"
    "using System.Runtime.InteropServices;\n"
    "using System.Text;\n"
    "public static class SbxRestricted {\n"
    "  [StructLayout(LayoutKind.Sequential)]\n"
    "  struct SidAndAttributes { public IntPtr Sid; public uint Attributes; }\n"
    "  [StructLayout(LayoutKind.Sequential, CharSet = CharSet.Unicode)]\n"
    "  struct StartupInfo {\n"
    "    public int cb; public string Reserved; public string Desktop; public string Title;\n"
    "    public int X, Y, XSize, YSize, XCountChars, YCountChars, FillAttribute, Flags;\n"
    "    public short ShowWindow, Reserved2Len; public IntPtr Reserved2, StdIn, StdOut, StdErr;\n"
    "  }\n"
    "  [StructLayout(LayoutKind.Sequential)]\n"
    "  struct ProcessInformation { public IntPtr Process, Thread; public int Pid, Tid; }\n"
    "  [DllImport(\"advapi32.dll\", SetLastError = true)]\n"
    "  static extern bool OpenProcessToken(IntPtr process, uint access, out IntPtr token);\n"
    "  [DllImport(\"advapi32.dll\", SetLastError = true)]\n"
    "  static extern bool CreateRestrictedToken(IntPtr token, uint flags, uint nDisable,\n"
    "    IntPtr disable, uint nDelete, IntPtr delete, uint nRestrict,\n"
    "    SidAndAttributes[] restrict, out IntPtr restricted);\n"
    "  [DllImport(\"advapi32.dll\", SetLastError = true, CharSet = CharSet.Unicode)]\n"
    "  static extern bool ConvertStringSidToSidW(string sid, out IntPtr psid);\n"
    "  [DllImport(\"advapi32.dll\", SetLastError = true, CharSet = CharSet.Unicode)]\n"
    "  static extern bool ConvertStringSecurityDescriptorToSecurityDescriptorW(string sddl,\n"
    "    uint revision, out IntPtr sd, IntPtr size);\n"
    "  [DllImport(\"advapi32.dll\", SetLastError = true)]\n"
    "  static extern bool GetSecurityDescriptorDacl(IntPtr sd, out bool present, out IntPtr "
    "dacl,\n"
    "    out bool defaulted);\n"
    "  [DllImport(\"advapi32.dll\", SetLastError = true)]\n"
    "  static extern bool SetTokenInformation(IntPtr token, int cls, ref IntPtr info, uint "
    "len);\n"
    "  [DllImport(\"advapi32.dll\", SetLastError = true, CharSet = CharSet.Unicode)]\n"
    "  static extern bool CreateProcessAsUserW(IntPtr token, string app, StringBuilder cmd,\n"
    "    IntPtr pattr, IntPtr tattr, bool inherit, uint flags, IntPtr env, string cwd,\n"
    "    ref StartupInfo si, out ProcessInformation pi);\n"
    "  [DllImport(\"kernel32.dll\")] static extern IntPtr GetCurrentProcess();\n"
    "  [DllImport(\"kernel32.dll\")] static extern uint WaitForSingleObject(IntPtr h, uint ms);\n"
    "  [DllImport(\"kernel32.dll\")] static extern bool GetExitCodeProcess(IntPtr h, out uint "
    "code);\n"
    "  [DllImport(\"kernel32.dll\")] static extern bool CloseHandle(IntPtr h);\n"
    "  public static int Run(string[] sids, string commandLine, string cwd, uint flags,\n"
    "      string dacl) {\n"
    "    if (sids.Length == 0)\n"
    "      throw new ArgumentException(\"no restricting SIDs\");\n"
    "    IntPtr token, restricted;\n"
    "    if (!OpenProcessToken(GetCurrentProcess(), 0x00AB, out token))\n"
    "      throw new Win32Exception();\n"
    "    var list = new SidAndAttributes[sids.Length];\n"
    "    for (int i = 0; i < sids.Length; i++)\n"
    "      if (!ConvertStringSidToSidW(sids[i], out list[i].Sid))\n"
    "        throw new Win32Exception();\n"
    "    if (!CreateRestrictedToken(token, flags, 0, IntPtr.Zero, 0, IntPtr.Zero,\n"
    "        (uint)list.Length, list, out restricted))\n"
    "      throw new Win32Exception();\n"
    "    if (dacl != null) {\n"
    "      IntPtr sd, acl;\n"
    "      bool present, defaulted;\n"
    "      if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(dacl, 1, out sd, "
    "IntPtr.Zero) ||\n"
    "          !GetSecurityDescriptorDacl(sd, out present, out acl, out defaulted) ||\n"
    "          !SetTokenInformation(restricted, 6, ref acl, (uint)IntPtr.Size))\n"
    "        throw new Win32Exception();\n"
    "    }\n"
    "    var si = new StartupInfo();\n"
    "    si.cb = Marshal.SizeOf(si);\n"
    "    ProcessInformation pi;\n"
    "    if (!CreateProcessAsUserW(restricted, null, new StringBuilder(commandLine),\n"
    "        IntPtr.Zero, IntPtr.Zero, false, 0, IntPtr.Zero, cwd, ref si, out pi))\n"
    "      throw new Win32Exception();\n"
    "    WaitForSingleObject(pi.Process, 0xFFFFFFFF);\n"
    "    uint code;\n"
    "    GetExitCodeProcess(pi.Process, out code);\n"
    "    CloseHandle(pi.Thread);\n"
    "    CloseHandle(pi.Process);\n"
    "    return (int)code;\n"
    "  }\n"
    "}\n"
    "'@\n";

/* Every path that carries a deny entry (carve-outs, denied paths) must
** exist, and neither it nor a directory above it may be a link (a junction,
** a mount point or a symbolic link; other reparse points, such as cloud
** file placeholders, redirect nothing): the deny entry protects one object,
** and a path through a link names another, which may sit under another
** granted root. */
static void protected_paths(struct sbx_strbuf *sb, const struct sbx_win_plan *p)
{
	if (!p->ncreate_dirs)
		return;
	sbx_sb_adds(sb, "  $SbxStep = 'check the protected paths'\n"
	                "  foreach ($SbxPath in @(");
	for (size_t i = 0; i < p->ncreate_dirs; i++) {
		if (i)
			sbx_sb_adds(sb, ", ");
		q(sb, p->create_dirs[i]);
	}
	sbx_sb_adds(
	    sb,
	    ")) {\n"
	    "    if (-not (Test-Path -LiteralPath $SbxPath)) {\n"
	    "      throw \"$SbxPath is missing: run setup.ps1\"\n"
	    "    }\n"
	    "    $SbxItem = Get-Item -LiteralPath $SbxPath -Force\n"
	    "    while ($SbxItem) {\n"
	    "      if ([int]($SbxItem.Attributes -band [IO.FileAttributes]::ReparsePoint) -ne 0 "
	    "-and @('Junction', 'SymbolicLink') -contains $SbxItem.LinkType) {\n"
	    "        throw \"$($SbxItem.FullName) is a link: the deny entry on $SbxPath "
	    "would not hold\"\n"
	    "      }\n"
	    "      $SbxItem = if ($SbxItem -is [IO.DirectoryInfo]) { $SbxItem.Parent } else "
	    "{ $SbxItem.Directory }\n"
	    "    }\n"
	    "  }\n");
}

/* The restricting SIDs of the restricted token, from caps.json: the plan's
** capabilities and nothing else (no Everyone, no logon SID: an identity the
** machine already grants would let writes through where the plan grants
** none). */
static void token_sids(struct sbx_ctx *ctx, struct sbx_strbuf *sb, const struct sbx_win_plan *p)
{
	sbx_sb_adds(sb, "  $SbxStep = 'capability SIDs'\n"
	                "  $SbxCapFile = Join-Path $SbxStateDir 'caps.json'\n"
	                "  if (-not (Test-Path -LiteralPath $SbxCapFile)) {\n"
	                "    throw 'no capability SIDs: run setup.ps1 first'\n"
	                "  }\n"
	                "  $SbxCaps = @{}\n"
	                "  (Get-Content -LiteralPath $SbxCapFile -Raw | ConvertFrom-Json)."
	                "PSObject.Properties | ForEach-Object { $SbxCaps[$_.Name] = $_.Value }\n"
	                "  $SbxSids = @()\n");
	for (size_t i = 0; i < p->ncaps; i++) {
		sbx_sb_adds(sb, "  if (-not $SbxCaps.ContainsKey(");
		cap_key(ctx, sb, &p->caps[i]);
		sbx_sb_adds(sb, ")) { throw 'a capability SID is missing: run setup.ps1' }\n"
		                "  $SbxSids += $SbxCaps[");
		cap_key(ctx, sb, &p->caps[i]);
		sbx_sb_adds(sb, "]\n");
	}
	/* no capability (nothing writable): the Null SID, which no entry names,
	** so that the token is still restricted and every write fails */
	if (!p->ncaps)
		sbx_sb_adds(sb, "  $SbxSids += 'S-1-0-0'\n");
}

/* Elevated: a PowerShell started as the sandbox user
** (Start-Process -Credential) derives the restricted token from its own and
** starts the command with it. Its script goes through a file readable by the
** sandbox user alone (a logon's command line is short), the data base64-coded
** inside it; the token's default DACL names the restricting SIDs, so that the
** command can open what it creates without a grant. */
static void elevated_restricted_start(struct sbx_strbuf *sb, const struct sbx_win_plan *p)
{
	sbx_sb_addf(
	    sb,
	    "  $SbxStep = 'start the command as %s under the restricted token'\n"
	    "  $SbxSecure = Get-Content -LiteralPath $SbxPwFile | ConvertTo-SecureString\n"
	    "  $SbxCred = [Management.Automation.PSCredential]::new('.\\%s', $SbxSecure)\n"
	    "  $SbxUserSid = (Get-LocalUser -Name '%s').SID.Value\n"
	    "  $SbxData = @{ sids = @($SbxSids); line = $SbxLine; cwd = $SbxCwd; source = "
	    "$SbxRunnerSource } | ConvertTo-Json -Compress\n"
	    "  $SbxInner = @'\n"
	    "$ErrorActionPreference = 'Stop'\n"
	    "try {\n"
	    "  $d = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('SBXC_DATA')) | "
	    "ConvertFrom-Json\n"
	    "  Add-Type -TypeDefinition $d.source\n"
	    "  $u = [Security.Principal.WindowsIdentity]::GetCurrent().User.Value\n"
	    "  $dacl = 'D:(A;;GA;;;SY)(A;;GA;;;' + $u + ')' + (($d.sids | ForEach-Object { "
	    "'(A;;GA;;;' + $_ + ')' }) -join '')\n"
	    "  exit ([SbxRestricted]::Run([string[]]$d.sids, $d.line, $d.cwd, %s, $dacl))\n"
	    "} catch {\n"
	    "  [Console]::Error.WriteLine(\"sbxc: $($_.Exception.Message); refusing to run "
	    "unsandboxed\")\n"
	    "  exit 125\n"
	    "}\n"
	    "'@\n"
	    "  $SbxInner = $SbxInner.Replace('SBXC_DATA', "
	    "[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($SbxData)))\n"
	    "  $SbxInnerFile = Join-Path ([IO.Path]::GetTempPath()) ('sbxc-run-' + "
	    "[guid]::NewGuid().ToString('N') + '.ps1')\n"
	    "  try {\n"
	    "    Set-Content -LiteralPath $SbxInnerFile -Value $SbxInner -Encoding utf8\n"
	    "    icacls.exe $SbxInnerFile /inheritance:r /grant:r \"*${SbxUserSid}:(R)\" "
	    "/grant:r \"*$([Security.Principal.WindowsIdentity]::GetCurrent().User.Value):(F)\"\n"
	    "    if ($LASTEXITCODE -ne 0) { throw \"icacls exited with $LASTEXITCODE\" }\n"
	    "    $SbxShell = Join-Path $env:SystemRoot "
	    "'System32\\WindowsPowerShell\\v1.0\\powershell.exe'\n"
	    "    $SbxStart = @{ FilePath = $SbxShell; ArgumentList = @('-NoLogo', '-NoProfile', "
	    "'-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', ('\"' + $SbxInnerFile + "
	    "'\"')); Credential = $SbxCred; WorkingDirectory = $SbxCwd; NoNewWindow = $true; Wait "
	    "= $true; PassThru = $true }\n"
	    "    $SbxProc = Start-Process @SbxStart\n"
	    "    $SbxCode = $SbxProc.ExitCode\n"
	    "  } finally {\n"
	    "    Remove-Item -LiteralPath $SbxInnerFile -Force -ErrorAction SilentlyContinue\n"
	    "  }\n",
	    p->user, p->user, p->user, p->write_restricted ? "0xD" : "0x5");
}

const char *sbx_ps_run(struct sbx_ctx *ctx, const struct sbx_win_plan *p)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	bool elevated = p->backend == SBX_BACKEND_WINDOWS_ELEVATED;
	header(&sb, p, "run.ps1");
	sbx_sb_adds(&sb,
	            "# Usage: run.ps1 COMMAND [ARGUMENT...]  (after setup.ps1). It refuses to\n"
	            "# start the command when the sandbox is not in place.\n");
	sbx_sb_adds(&sb, "param(\n"
	                 "  [Parameter(Mandatory = $true, Position = 0)][string]$Command,\n"
	                 "  [Parameter(ValueFromRemainingArguments = $true)][string[]]$Arguments\n"
	                 ")\n");
	sbx_sb_adds(&sb, prologue);
	sbx_sb_adds(&sb, argv_quote_fn);
	sbx_sb_adds(&sb, "$SbxCwd = ");
	q(&sb, p->cwd);
	sbx_sb_adds(&sb,
	            "\n$SbxLine = (@($Command) + @($Arguments | Where-Object { $null -ne $_ }) | "
	            "ForEach-Object { ConvertTo-SbxArgument $_ }) -join ' '\n");
	sbx_sb_adds(&sb, try_open);
	if (elevated) {
		sbx_sb_addf(&sb,
		            "  $SbxStep = 'credentials of %s'\n"
		            "  $SbxPwFile = Join-Path $SbxStateDir '%s.pw'\n"
		            "  if (-not (Test-Path -LiteralPath $SbxPwFile)) {\n"
		            "    throw 'no sandbox user: run setup.ps1 first'\n"
		            "  }\n",
		            p->user, p->user);
		if (p->firewall) {
			sbx_sb_adds(&sb, check_firewall);
			for (size_t i = 0; i < p->nrules; i++) {
				if (p->narrow_rule && p->nnarrow_ports == 0 &&
				    strcmp(p->rules[i].name, p->narrow_rule) == 0)
					continue;
				sbx_sb_addf(
				    &sb,
				    "  $SbxStep = 'check firewall rule %s'\n"
				    "  $SbxRule = Get-NetFirewallRule -Name '%s' -ErrorAction "
				    "SilentlyContinue\n"
				    "  if (-not $SbxRule -or $SbxRule.Enabled -ne 'True') {\n"
				    "    throw 'firewall rule %s is missing or off: run "
				    "setup.ps1'\n"
				    "  }\n",
				    p->rules[i].name, p->rules[i].name, p->rules[i].name);
			}
		}
	}
	protected_paths(&sb, p);
	sbx_sb_adds(&sb, restricted_type);
	token_sids(ctx, &sb, p);
	if (elevated)
		elevated_restricted_start(&sb, p);
	else /* the default DACL names the capabilities, as the elevated one does */
		sbx_sb_adds(
		    &sb,
		    "  $SbxStep = 'start the command under the restricted token'\n"
		    "  Add-Type -TypeDefinition $SbxRunnerSource\n"
		    "  $SbxMe = [Security.Principal.WindowsIdentity]::GetCurrent().User.Value\n"
		    "  $SbxDacl = 'D:(A;;GA;;;SY)(A;;GA;;;' + $SbxMe + ')' + (($SbxSids | "
		    "ForEach-Object { '(A;;GA;;;' + $_ + ')' }) -join '')\n"
		    "  $SbxCode = [SbxRestricted]::Run([string[]]$SbxSids, $SbxLine, "
		    "$SbxCwd, 0xD, $SbxDacl)\n");
	sbx_sb_adds(&sb,
	            "} catch {\n"
	            "  [Console]::Error.WriteLine(\"sbxc: failed at step: $SbxStep\")\n"
	            "  [Console]::Error.WriteLine(\"sbxc: $($_.Exception.Message); refusing to "
	            "run unsandboxed\")\n"
	            "  exit 125\n"
	            "}\n"
	            "exit $SbxCode\n");
	return finish(ctx, &sb);
}
