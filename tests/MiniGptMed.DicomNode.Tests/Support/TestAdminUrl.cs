using System.Runtime.CompilerServices;

namespace MiniGptMed.DicomNode.Tests.Support;

/// <summary>
/// Every node a test starts (in this process or as a child <c>serve</c>, which inherits the environment) puts its
/// admin HTTP surface on a port the OS chooses: the default 127.0.0.1:8080 would collide between tests running at
/// once. Tests of the HTTP surface pass their own <c>Admin:Url</c> (NodeHostSettings.AdminUrl wins over this).
/// </summary>
internal static class TestAdminUrl
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Set before any test builds a host.")]
    public static void UseAnyPort() => Environment.SetEnvironmentVariable("MINIGPTMED_Admin__Url", "http://127.0.0.1:0");
}
