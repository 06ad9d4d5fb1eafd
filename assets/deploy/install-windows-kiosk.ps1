#Requires -RunAsAdministrator
<#
.SYNOPSIS
  Makes a Windows PC start the Vitrine kiosk at the kiosk user's logon, and keep it running.

.DESCRIPTION
  Run once, as an administrator, after installing Vitrine (the NSIS installer,
  per machine). It
    - copies vitrine-watchdog.ps1 to %ProgramData%\Vitrine and registers the
      scheduled task "Vitrine kiosk" that runs it at the kiosk user's logon,
      hidden, without a time limit;
    - turns off the display, sleep and hibernate timeouts on mains power;
    - turns off edge swipes for every user (the "Allow edge swipe" policy).
  Auto-login, Assigned Access / Shell Launcher and touch gestures are set by
  hand: docs/deploy.md walks through them.

.EXAMPLE
  .\install-windows-kiosk.ps1 -KioskUser kiosk
#>
param(
  [Parameter(Mandatory = $true)][string]$KioskUser,
  [string]$Exe = (Join-Path $env:ProgramFiles 'Vitrine\Vitrine.exe')
)

$ErrorActionPreference = 'Stop'
if (-not (Test-Path $Exe)) { throw "Vitrine is not installed at $Exe; install it first or pass -Exe." }

$dir = Join-Path $env:ProgramData 'Vitrine'
New-Item -ItemType Directory -Force -Path $dir | Out-Null
$watchdog = Join-Path $dir 'vitrine-watchdog.ps1'
Copy-Item -Path (Join-Path $PSScriptRoot 'vitrine-watchdog.ps1') -Destination $watchdog -Force

$arguments = "-NoProfile -NonInteractive -WindowStyle Hidden -ExecutionPolicy Bypass -File `"$watchdog`" -Exe `"$Exe`""
$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument $arguments
$trigger = New-ScheduledTaskTrigger -AtLogOn -User $KioskUser
$principal = New-ScheduledTaskPrincipal -UserId $KioskUser -LogonType Interactive -RunLevel Limited
$settings = New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries `
  -ExecutionTimeLimit ([TimeSpan]::Zero) -MultipleInstances IgnoreNew `
  -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1)
Register-ScheduledTask -TaskName 'Vitrine kiosk' -Action $action -Trigger $trigger -Principal $principal `
  -Settings $settings -Force | Out-Null
Write-Host "Registered the scheduled task 'Vitrine kiosk' for $KioskUser."

# Never blank or sleep on mains power: the kiosk keeps the display awake itself, this covers the PC.
powercfg /change monitor-timeout-ac 0
powercfg /change standby-timeout-ac 0
powercfg /change hibernate-timeout-ac 0
Write-Host 'Display, sleep and hibernate timeouts on mains power: never.'

# Edge swipes would open the Action Center or the task view over the exhibit.
$edgeUi = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\EdgeUI'
New-Item -Path $edgeUi -Force | Out-Null
Set-ItemProperty -Path $edgeUi -Name 'AllowEdgeSwipe' -Type DWord -Value 0
Write-Host 'Edge swipes: off (takes effect at the next sign-in).'
