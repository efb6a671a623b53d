using MiniGptMed.DicomNode.Tests.Support;

namespace MiniGptMed.DicomNode.Tests.Deployment;

/// <summary>
/// systemd/minigptmed.service as systemd itself reads it (<c>systemd-analyze verify</c>, systemd 252 here). verify
/// needs the ExecStart binary and the units the service refers to (sysinit.target, network-online.target...): they
/// are laid out in a scratch root (<c>--root</c>) with this machine's unit files and a stand-in executable, so the
/// unit is checked as it would be on an installed server.
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private readonly TempFolder _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task TheUnit_IsAcceptedBySystemdAnalyzeVerify_WithoutAWarning()
    {
        var unit = await InstallAsync(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "systemd", "minigptmed.service")));
        var result = await ExternalTool.RunAsync("systemd-analyze", ["verify", "--man=no", $"--root={_root.Path}", unit]);
        Assert.True(result.ExitCode == 0 && result.Output.Trim().Length == 0, $"systemd-analyze verify: exit {result.ExitCode}\n{result.Output}");
    }

    [Fact]
    public async Task Verify_CatchesAMistypedSetting_SoTheCheckAboveMeansSomething()
    {
        var text = (await File.ReadAllTextAsync(Path.Combine(Repository.Root, "systemd", "minigptmed.service"))).Replace("ProtectSystem=strict", "ProtectSystem=strictest", StringComparison.Ordinal);
        var result = await ExternalTool.RunAsync("systemd-analyze", ["verify", "--man=no", $"--root={_root.Path}", await InstallAsync(text)]);
        Assert.Contains("Failed to parse protect system value", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheUnit_IsHardenedAsTheIssueAsks()
    {
        var lines = (await File.ReadAllLinesAsync(Path.Combine(Repository.Root, "systemd", "minigptmed.service"))).Select(l => l.Trim()).ToHashSet();
        foreach (var setting in new[]
        {
            "Type=notify", "User=minigptmed", "StateDirectory=minigptmed", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
            "ReadWritePaths=/var/lib/minigptmed", "AmbientCapabilities=CAP_NET_BIND_SERVICE", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
        })
        {
            Assert.Contains(setting, lines);
        }

        Assert.True(File.Exists(Path.Combine(Repository.Root, "systemd", "minigptmed.env")));
    }

    /// <summary>Lays out the scratch root: this machine's unit files, the unit under test, and the executable it starts.</summary>
    private async Task<string> InstallAsync(string unitText)
    {
        CopyFolder("/usr/lib/systemd/system", Path.Combine(_root.Path, "usr", "lib", "systemd", "system"));
        var bin = Path.Combine(_root.Path, "opt", "minigptmed");
        Directory.CreateDirectory(bin);
        var executable = Path.Combine(bin, "minigptmed");
        await File.WriteAllTextAsync(executable, "#!/bin/sh\n");
        Assert.True(OperatingSystem.IsLinux(), "systemd units are checked on Linux");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        var units = Path.Combine(_root.Path, "etc", "systemd", "system");
        Directory.CreateDirectory(units);
        await File.WriteAllTextAsync(Path.Combine(units, "minigptmed.service"), unitText);
        return "/etc/systemd/system/minigptmed.service";
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                if (!Path.Exists(target))
                {
                    File.CreateSymbolicLink(target, link);
                }
            }
            else if (entry is DirectoryInfo directory)
            {
                CopyFolder(directory.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target, overwrite: true);
            }
        }
    }
}
