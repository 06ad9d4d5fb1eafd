<#
.SYNOPSIS
  Keeps the Vitrine kiosk running for the logged-on kiosk user (Windows).

.DESCRIPTION
  Starts Vitrine and starts it again whenever it ends, after a pause that grows
  while it keeps ending quickly (1, 2, 5, 15, 30 s) and starts afresh after five
  healthy minutes. Exit code 75 is the app asking for a restart (staff panel,
  recovery): started again at once. Exit code 2 is a bad flag or a refused
  debugger switch: starting again cannot help, so the watchdog stops.
  Each event is one JSON line in %APPDATA%\Vitrine\logs\main.log, beside the app's own.

  Registered to run at logon by install-windows-kiosk.ps1 (see docs/deploy.md).
#>
param(
  [string]$Exe = (Join-Path $env:ProgramFiles 'Vitrine\Vitrine.exe')
)

$ErrorActionPreference = 'Continue'
# Supervised: the app exits with 75 to be restarted here instead of relaunching itself.
$env:VITRINE_SUPERVISED = '1'
$logFile = Join-Path $env:APPDATA 'Vitrine\logs\main.log'
New-Item -ItemType Directory -Force -Path (Split-Path $logFile) | Out-Null

function Write-Event([string]$line) {
  $entry = [ordered]@{ at = (Get-Date).ToUniversalTime().ToString('o'); event = 'watchdog'; line = $line }
  try { Add-Content -Path $logFile -Value ($entry | ConvertTo-Json -Compress) -Encoding UTF8 } catch { }
}

$backoff = @(1, 2, 5, 15, 30)
$quickEnds = 0
while ($true) {
  $started = Get-Date
  try {
    $process = Start-Process -FilePath $Exe -PassThru -Wait
    $code = $process.ExitCode
  } catch {
    Write-Event "could not start ${Exe}: $($_.Exception.Message)"
    $code = -1
  }
  if ($code -eq 75) { Write-Event 'the kiosk asked to restart; starting it again'; continue }
  if ($code -eq 2) { Write-Event 'the kiosk refused to start (exit code 2); see main.log. Not restarting.'; exit 2 }
  if (((Get-Date) - $started).TotalMinutes -ge 5) { $quickEnds = 0 }
  $quickEnds++
  $pause = $backoff[[Math]::Min($quickEnds, $backoff.Count) - 1]
  Write-Event "the kiosk ended (exit code $code); starting it again in $pause s"
  Start-Sleep -Seconds $pause
}
