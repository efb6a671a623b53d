using System.Security.Cryptography.X509Certificates;
using MiniGptMed.Dicom.Network.Security;

namespace MiniGptMed.Dicom.Tests.Support;

/// <summary>
/// A small PKI made by openssl for the TLS tests, once per process, in a temporary folder: a CA; a server and a client
/// certificate it signed; an expired client certificate it signed; and a second, untrusted CA with a client of its own.
/// </summary>
public sealed class TestCertificates
{
    private static readonly Lazy<Task<TestCertificates>> Shared = new(() => CreateAsync());

    private TestCertificates(string folder) => Folder = folder;

    public static Task<TestCertificates> GetAsync() => Shared.Value;

    public string Folder { get; }

    public string CaFile => Path.Combine(Folder, "ca.pem");

    public string WrongCaFile => Path.Combine(Folder, "wrongca.pem");

    public string Cert(string name) => Path.Combine(Folder, name + ".pem");

    public string Key(string name) => Path.Combine(Folder, name + ".key");

    public DicomTlsServerOptions Server(ClientCertificateMode mode = ClientCertificateMode.Required) => new()
    {
        Certificate = CertificateFiles.LoadCertificateWithKey(Cert("server"), Key("server")),
        ClientCertificateMode = mode,
        TrustedClientCas = CertificateFiles.LoadBundle(CaFile),
    };

    /// <summary>Our SCU trusting <paramref name="caFile"/> (default: the right CA) and presenting <paramref name="client"/> (null: none).</summary>
    public DicomTlsClientOptions Client(string? client = "client", string? caFile = null) => new()
    {
        TrustedServerCas = CertificateFiles.LoadBundle(caFile ?? CaFile),
        ClientCertificate = client is null ? null : CertificateFiles.LoadCertificateWithKey(Cert(client), Key(client)),
    };

    private static async Task<TestCertificates> CreateAsync()
    {
        var folder = Directory.CreateTempSubdirectory("minigptmed-pki-").FullName;
        var pki = new TestCertificates(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "server.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "client.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n");
        await MakeCaAsync(folder, "ca", "MiniGptMed Test CA");
        await MakeCaAsync(folder, "wrongca", "Some Other CA");
        await IssueAsync(folder, "server", "ca", "server.ext", "localhost", days: 30);
        await IssueAsync(folder, "client", "ca", "client.ext", "TESTSCU", days: 30);
        await IssueAsync(folder, "wrongclient", "wrongca", "client.ext", "INTRUDER", days: 30);
        // openssl 3.0 has no -not_after; a negative validity gives notAfter one day before notBefore: expired now.
        await IssueAsync(folder, "expired", "ca", "client.ext", "EXPIRED", days: -1);
        return pki;
    }

    private static Task MakeCaAsync(string folder, string name, string subject) => OpensslAsync(folder,
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-days", "30", "-subj", "/CN=" + subject,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

    private static async Task IssueAsync(string folder, string name, string ca, string extensions, string commonName, int days)
    {
        await OpensslAsync(folder, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName);
        await OpensslAsync(folder, "x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key", "-set_serial", Random.Shared.NextInt64(1, long.MaxValue).ToString(),
            "-days", days.ToString(), "-extfile", extensions, "-out", name + ".pem");
    }

    private static async Task OpensslAsync(string folder, params string[] args)
    {
        var result = await ExternalProcess.RunAsync("openssl", args.Select(a => a.EndsWith(".key", StringComparison.Ordinal) || a.EndsWith(".pem", StringComparison.Ordinal) || a.EndsWith(".csr", StringComparison.Ordinal) || a.EndsWith(".ext", StringComparison.Ordinal) ? Path.Combine(folder, a) : a), TimeSpan.FromSeconds(60));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed: {result.StandardError}");
        }
    }

    /// <summary>The subject of a certificate file (for assertions).</summary>
    public string Subject(string name) => X509Certificate2.CreateFromPemFile(Cert(name)).Subject;
}
